// README's Python quick start is generated: jsii-rosetta translates the TypeScript quick start (the first ```ts block
// of README.md, a whole program) with the compiled assembly's types, and this script writes that translation between
// the markers below. `--check` fails when README's Python block is not the current translation (CI runs it).
//   npx projen docs:rosetta && npx projen docs:python
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const TABLET = path.join(ROOT, '.jsii.tabl.json');
const BEGIN = '<!-- python quick start: generated from the TypeScript one by `npx projen docs:python`; do not edit -->';
const END = '<!-- end of python quick start -->';

interface Tablet {
  readonly snippets: Record<string, {
    readonly translations: Record<string, { readonly source: string }>;
    readonly location: { readonly api: { readonly api: string }; readonly field?: { readonly line?: number } };
    readonly didCompile?: boolean;
  }>;
}

function main(check: boolean): number {
  const readme = fs.readFileSync(README, 'utf8');
  const quickStart = /^```ts\n([\s\S]*?)^```/m.exec(readme);
  if (!quickStart) throw new Error('README.md has no ```ts block');
  if (!fs.existsSync(TABLET)) throw new Error(`${path.relative(ROOT, TABLET)} is missing: run npx projen docs:rosetta first`);
  const tablet = JSON.parse(fs.readFileSync(TABLET, 'utf8')) as Tablet;
  const snippet = Object.values(tablet.snippets).find(s => s.location.api.api === 'moduleReadme'
    && s.translations.$?.source.trim() === quickStart[1].trim());
  if (!snippet) throw new Error('the tablet has no translation of README\'s quick start: run npx projen docs:rosetta');
  if (snippet.didCompile !== true) throw new Error('README\'s quick start does not compile for jsii-rosetta');
  const block = `${BEGIN}\n\n\`\`\`python\n${snippet.translations.python.source.trim()}\n\`\`\`\n\n${END}`;
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no '${BEGIN}' ... '${END}' section`);
  const updated = readme.slice(0, start) + block + readme.slice(end + END.length);
  const python = snippet.translations.python.source;
  const parsed = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read(), "README.md (Python quick start)")'], { input: python, encoding: 'utf8' });
  if (parsed.error === undefined && parsed.status !== 0) throw new Error(`the Python quick start does not parse:\n${parsed.stderr}`);
  if (check) {
    if (updated !== readme) {
      console.error('README.md: the Python quick start is not the translation of the TypeScript one: run npx projen docs:python');
      return 1;
    }
    console.log('README.md: the Python quick start is the current translation of the TypeScript one');
    return 0;
  }
  fs.writeFileSync(README, updated);
  console.log(updated === readme ? 'README.md: Python quick start unchanged' : 'README.md: Python quick start rewritten');
  return 0;
}

process.exitCode = main(process.argv.includes('--check'));
