import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { App, Testing } from 'cdk8s';
import * as ts from 'typescript';
import * as library from '../src';
import { expectValid } from './support/validate';
import { main } from '../src/cli/main';

// The README's TypeScript blocks are what new users copy first: they must compile, synthesize and validate.
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);

/** Runs a README block as a program whose `cdk8s-dynamo` is this checkout and whose `new App()` is a test app. */
function runBlock(code: string): App {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const app = Testing.app();
  const load = (id: string): unknown => {
    if (id === 'cdk8s-dynamo') return library;
    if (id === 'cdk8s') return { ...cdk8s, App: function TestApp() { return app; } };
    throw new Error(`README blocks may import only cdk8s and cdk8s-dynamo, not '${id}'`);
  };
  new Function('require', 'exports', js)(load, {});
  return app;
}

/** A block that is a fragment (no imports) runs inside a chart with every public name in scope. */
function asProgram(block: string): string {
  if (/^import /m.test(block)) return block;
  const names = Object.keys(library).join(', ');
  return `import { App, Chart } from 'cdk8s';\nimport { ${names} } from 'cdk8s-dynamo';\n`
    + `const app = new App();\nconst chart = new Chart(app, 'readme', { namespace: 'dynamo' });\n${block}\napp.synth();\n`;
}

test('the README has its quick start and SLA blocks', () => {
  expect(BLOCKS.length).toBeGreaterThanOrEqual(2);
});

test('every README block type-checks against the public API', () => {
  const root = path.join(__dirname, '..');
  const files = new Map(BLOCKS.map((block, i) => [path.join(root, 'test', `readme-block-${i}.ts`), asProgram(block)]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: root,
    paths: { 'cdk8s-dynamo': ['src/index.ts'] },
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = f => files.has(f) || ts.sys.fileExists(f);
  host.readFile = f => files.get(f) ?? readFile(f);
  host.getSourceFile = (f, v, onError) => files.has(f) ? ts.createSourceFile(f, files.get(f)!, v) : getSourceFile(f, v, onError);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = [...files.keys()].flatMap(f => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)))
    .map(d => `${path.basename(d.file?.fileName ?? '?')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(errors).toEqual([]);
});

test.each(BLOCKS.map((block, i) => [i, block]))('README block %i synthesizes valid manifests', (_i, block) => {
  const app = runBlock(asProgram(block as string));
  const objects = app.charts.flatMap(c => c.toJson());
  expect(objects.length).toBeGreaterThan(0);
  expect(objects.some(o => o.kind === 'DynamoGraphDeployment')).toBe(true);
  expectValid(objects);
});

test('the plan output shown in the README is what the CLI prints today', () => {
  const shown = README.match(/```\n\$ cdk8s-dynamo (plan [^\n]*)\n([\s\S]*?)```/);
  expect(shown).not.toBeNull();
  const out: string[] = [];
  const code = main(shown![1].split(/\s+/), { out: t => out.push(t), err: t => out.push(t) });
  expect(code).toBe(0);
  // The search time is wall-clock; everything else is deterministic.
  const printed = out.join('\n').split('\n').filter(l => !l.startsWith('search:')).join('\n').trim();
  expect(shown![2].trim()).toBe(printed);
});
