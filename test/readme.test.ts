import * as fs from 'fs';
import * as path from 'path';
import { blocksOf, run } from './docs/snippets';
import { main } from '../src/cli/main';

// README's blocks compile and run in test/docs/snippets.test.ts, like every docs snippet. Here: what README promises
// beyond that.
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const TS = blocksOf('README.md').filter(b => b.language === 'ts');

test('the quick start is a whole program and, like the SLA block, synthesizes a DynamoGraphDeployment', () => {
  expect(TS.length).toBeGreaterThanOrEqual(2);
  expect(TS[0].fixture).toBeUndefined();
  expect(TS[0].code).toMatch(/^import /);
  for (const block of TS.slice(0, 2)) {
    const objects = run(block).flatMap(app => app.charts.flatMap(c => c.toJson()));
    expect(objects.some(o => o.kind === 'DynamoGraphDeployment')).toBe(true);
  }
});

test('the plan output shown in the README is what the CLI prints today, within 100 columns', () => {
  const shown = README.match(/```\n\$ cdk8s-dynamo (plan [^\n]*)\n([\s\S]*?)```/);
  expect(shown).not.toBeNull();
  const out: string[] = [];
  const code = main(shown![1].split(/\s+/), { out: t => out.push(t), err: t => out.push(t) });
  expect(code).toBe(0);
  // The search time is wall-clock; everything else is deterministic.
  const printed = out.join('\n').split('\n').filter(l => !l.startsWith('search:')).join('\n').trim();
  expect(shown![2].trim()).toBe(printed);
  expect(Math.max(...shown![0].split('\n').map(l => l.length))).toBeLessThanOrEqual(100);
});

test('the README shows the plan report screenshot, and it is committed', () => {
  const image = /!\[[^\]]+\]\((docs\/images\/[\w.-]+\.png)\)/.exec(README);
  expect(image).not.toBeNull();
  expect(fs.statSync(path.join(__dirname, '..', image![1])).size).toBeGreaterThan(10_000);
});
