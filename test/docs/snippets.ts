import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as constructs from 'constructs';
import * as ts from 'typescript';
import * as library from '../../src';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');
const HERE = /^[ \t]*\/\/\/[ \t]*here[ \t]*$/m;

/** One fenced block of a Markdown file. */
export interface Block {
  /** `README.md:42` (the line of the opening fence). */
  readonly where: string;
  /** The info string's language (`ts`, `sh`, `yaml`, …). */
  readonly language: string;
  /** `fixture=<name>` of the info string, as jsii-rosetta reads it. */
  readonly fixture?: string;
  /** `excerpt=<file>`: the block quotes that file of the repository (a contributor's doc), it is not a program. */
  readonly excerpt?: string;
  readonly code: string;
}

/** The fenced blocks of a Markdown file of the repository, in order. */
export function blocksOf(file: string): Block[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  // Fences may be indented (inside a list item): the block's lines lose that indentation.
  return [...text.matchAll(/^([ \t]*)```(\w*)([^\n]*)\n([\s\S]*?)^\1```/gm)].map(m => ({
    where: `${file}:${text.slice(0, m.index).split('\n').length}`,
    language: m[2],
    fixture: /\bfixture=(\S+)/.exec(m[3])?.[1],
    excerpt: /\bexcerpt=(\S+)/.exec(m[3])?.[1],
    code: m[4].split('\n').map(l => l.startsWith(m[1]) ? l.slice(m[1].length) : l).join('\n'),
  }));
}

/** A TypeScript snippet inside its fixture (rosetta/<name>.ts-fixture), its imports hoisted first as jsii-rosetta does. */
export function complete(s: Block): string {
  if (!s.fixture) return s.code;
  const file = path.join(ROOT, 'rosetta', `${s.fixture}.ts-fixture`);
  if (!fs.existsSync(file)) throw new Error(`${s.where}: no fixture rosetta/${s.fixture}.ts-fixture`);
  const fixture = fs.readFileSync(file, 'utf8');
  if (!HERE.test(fixture)) throw new Error(`rosetta/${s.fixture}.ts-fixture has no '/// here' line`);
  const source = ts.createSourceFile('snippet.ts', s.code, ts.ScriptTarget.ES2020, true);
  const imports = source.statements.filter(ts.isImportDeclaration).map(i => i.getFullText(source).trim());
  const rest = source.statements.filter(st => !ts.isImportDeclaration(st)).map(st => st.getFullText(source)).join('');
  return `${imports.join('\n')}\n${fixture.replace(HERE, () => rest)}`;
}

/**
 * Runs a snippet as a program whose `cdk8s-dynamo` is this checkout; every `new App()` writes into a scratch
 * directory (as does any file the snippet writes), and the apps are returned.
 */
export function run(s: Block): cdk8s.App[] {
  const js = ts.transpileModule(complete(s), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-snippet-'));
  const apps: cdk8s.App[] = [];
  class DocsApp extends cdk8s.App {
    constructor(props: cdk8s.AppProps = {}) {
      super({ ...props, outdir: path.join(scratch, props.outdir ?? 'dist') });
      apps.push(this);
    }
  }
  const modules: Record<string, unknown> = {
    'cdk8s-dynamo': library,
    'cdk8s': { ...cdk8s, App: DocsApp },
    'constructs': constructs,
    'cdk8s-plus-33': kplus,
    'fs': fs,
    'path': path,
  };
  const load = (id: string): unknown => {
    if (id in modules) return modules[id];
    // Contributors' snippets import the test support (`../support/validate`), as a test in test/<dir>/ would.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (id.startsWith('.')) return require(path.resolve(ROOT, 'test', 'docs', id));
    throw new Error(`${s.where}: the snippet imports '${id}', which a user of the library would not have`);
  };
  const cwd = process.cwd();
  process.chdir(scratch);
  try {
    new Function('require', 'exports', js)(load, {});
  } finally {
    process.chdir(cwd);
  }
  return apps;
}
