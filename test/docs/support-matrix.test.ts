import * as fs from 'fs';
import * as path from 'path';
import { DynamoVersions } from '../../src';

// README's support matrix says which Dynamo, Kubernetes, cdk8s, cdk8s-plus, constructs and Node.js versions a
// release pairs with. It is read here against the defaults in the code and the ranges in package.json, so a change
// to either without the table (or the CHANGELOG) fails.
const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function matrix(): Record<string, string>[] {
  const table = README.slice(README.indexOf('## Versions')).split('\n').filter(l => l.startsWith('|'));
  const cells = (l: string) => l.split('|').slice(1, -1).map(c => c.trim().replace(/`/g, ''));
  const header = cells(table[0]);
  return table.slice(2).map(l => Object.fromEntries(cells(l).map((c, i) => [header[i], c])));
}

const plusPackage = Object.keys(PKG.peerDependencies).find(d => /^cdk8s-plus-\d+$/.test(d))!;

test('the row of this version states the versions the code and package.json use', () => {
  const row = matrix().find(r => r['cdk8s-dynamo'] === PKG.version);
  expect(row).toBeDefined();
  expect(row).toEqual({
    'cdk8s-dynamo': PKG.version,
    'Dynamo operator (DynamoPlatform)': DynamoVersions.OPERATOR,
    'runtime images': DynamoVersions.RUNTIME,
    'Planner image': DynamoVersions.PLANNER,
    'Kubernetes': `>= ${DynamoVersions.KUBERNETES_MINIMUM}`,
    'cdk8s': PKG.peerDependencies.cdk8s,
    'cdk8s-plus': `${plusPackage} ${PKG.peerDependencies[plusPackage]}`,
    'constructs': PKG.peerDependencies.constructs,
    'Node.js': PKG.engines.node.replace(/\s+/g, ' '),
  });
});

test('one cdk8s-plus: every source imports the one the package depends on', () => {
  const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
  const used = new Set(['src', 'examples', 'test'].flatMap(d => sources(path.join(ROOT, d)))
    .flatMap(f => [...fs.readFileSync(f, 'utf8').matchAll(/from '(cdk8s-plus-\d+)'/g)].map(m => m[1])));
  expect([...used]).toEqual([plusPackage]);
  expect(PKG.devDependencies[plusPackage]).toBeDefined();
});

test('the Kubernetes floor the docs state is the one in DynamoVersions', () => {
  for (const doc of ['docs/gitops.md', 'docs/getting-started.md']) {
    const stated = [...fs.readFileSync(path.join(ROOT, doc), 'utf8').matchAll(/Kubernetes ≥ (\d+\.\d+)/g)].map(m => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([DynamoVersions.KUBERNETES_MINIMUM]));
  }
});

test('the CHANGELOG has an entry for this version, and README states the same Node.js floor as package.json', () => {
  const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  expect(changelog).toMatch(new RegExp(`^## ${PKG.version.replace(/\./g, '\\.')}\\b`, 'm'));
  const floor = /^>= (\d+\.\d+)\.0$/.exec(PKG.engines.node)![1];
  expect(README).toContain(`Node.js ${floor} or newer`);
});
