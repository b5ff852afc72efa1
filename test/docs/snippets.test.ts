import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { Block, blocksOf, complete, ROOT, run } from './snippets';
import { expectValid } from '../support/validate';

// Every TypeScript block of README.md and docs/ is what users paste first. Each must compile on its own, with only
// the imports it shows: shared context (an `app`, a `chart`, a `graph`) comes from the fixture its info string names
// (```ts fixture=graph), the rosetta/<name>.ts-fixture files jsii-rosetta also uses to translate the README and the
// API docs' examples for Python, Java, Go and .NET. Then each runs, and what it synthesizes must validate strictly.

const MARKDOWN = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)];
const TYPESCRIPT = [...MARKDOWN.flatMap(blocksOf), ...apiDocExamples()].filter(b => b.language === 'ts' || b.language === 'typescript');
const SNIPPETS = TYPESCRIPT.filter(b => b.excerpt === undefined);
const EXCERPTS = TYPESCRIPT.filter(b => b.excerpt !== undefined);

/** The ```ts examples of the TSDoc comments in src/ (the API docs' examples, which jsii-rosetta translates too). */
function apiDocExamples(): Block[] {
  const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
  return sources(path.join(ROOT, 'src')).flatMap(file => {
    const text = fs.readFileSync(file, 'utf8');
    return [...text.matchAll(/^[ \t]*\* ```(\w+)([^\n]*)\n((?:[ \t]*\*(?: [^\n]*)?\n)*?)[ \t]*\* ```/gm)].map(m => ({
      where: `${path.relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}`,
      language: m[1],
      fixture: /\bfixture=(\S+)/.exec(m[2])?.[1],
      code: m[3].split('\n').map(l => l.replace(/^[ \t]*\* ?/, '')).join('\n'),
    }));
  });
}

function virtualPath(s: Block): string {
  return path.join(ROOT, 'test', 'docs', `${s.where.replace(/[^A-Za-z0-9]+/g, '-')}.ts`);
}

test('README, docs and the API docs have TypeScript snippets, and every fixture is used', () => {
  expect(SNIPPETS.filter(s => s.where.startsWith('README.md')).length).toBeGreaterThanOrEqual(2);
  const named = new Set(SNIPPETS.map(s => s.fixture));
  expect(SNIPPETS.filter(s => s.where.startsWith('src/')).length).toBeGreaterThanOrEqual(5);
  const fixtures = fs.readdirSync(path.join(ROOT, 'rosetta')).filter(f => f.endsWith('.ts-fixture')).map(f => f.replace(/\.ts-fixture$/, ''));
  expect(fixtures.filter(f => !named.has(f))).toEqual([]);
});

test('every snippet compiles on its own: only its own imports, its fixture for context', () => {
  // `export {}`: each snippet is a module of its own, as a pasted file would be.
  const files = new Map(SNIPPETS.map(s => [virtualPath(s), `${complete(s)}\nexport {};\n`]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: ROOT,
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
  const where = new Map(SNIPPETS.map(s => [virtualPath(s), s.where]));
  const errors = [...files.keys()].flatMap(f => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map(d => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${where.get(f)} (line ${line} with its fixture): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  }));
  expect(errors).toEqual([]);
});

test.each(SNIPPETS.map(s => [s.where, s] as const))('%s runs, and what it synthesizes validates', (_where, s) => {
  for (const app of run(s)) {
    app.synthYaml(); // the constructs' validations, as `cdk8s synth` runs them
    expectValid(app.charts.flatMap(c => c.toJson()));
  }
});

test.each(EXCERPTS.map(s => [s.where, s] as const))('%s quotes its file as it is today', (_where, s) => {
  const words = (t: string) => t.replace(/\s+/g, ' ').trim();
  expect(words(fs.readFileSync(path.join(ROOT, s.excerpt!), 'utf8'))).toContain(words(s.code));
});
