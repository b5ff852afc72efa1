import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/**
 * Folders from the bottom up: a module imports only from its own folder and from folders below it. Data and
 * catalogs at the bottom, constructs above them, add-ons (security, platform, autoscaling) above the graph.
 */
const LAYERS: string[][] = [
  ['common'],
  ['gpu'],
  ['model'],
  ['engines'],
  ['optimizer', 'policy'],
  ['report'],
  ['graph'],
  ['security', 'platform'],
  ['autoscaling'],
  ['cli'],
];

function rank(folder: string): number {
  const i = LAYERS.findIndex(l => l.includes(folder));
  if (i < 0) throw new Error(`src/${folder} is in no layer of test/layout.test.ts: add it where it belongs`);
  return i;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** `[file, imported folder]` for every relative import that leaves the file's top-level folder. */
function crossFolderImports(): Array<{ file: string; from: string; to: string }> {
  const out: Array<{ file: string; from: string; to: string }> = [];
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file);
    const from = rel.split(path.sep)[0];
    if (!rel.includes(path.sep)) continue; // index.ts re-exports everything
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]));
      const to = target.split(path.sep)[0];
      if (to !== from) out.push({ file: rel, from, to });
    }
  }
  return out;
}

describe('source layout', () => {
  test('imports run one way: no module imports from a folder at or above its own layer', () => {
    const imports = crossFolderImports();
    expect(imports.length).toBeGreaterThan(50);
    const upward = imports.filter(i => rank(i.to) >= rank(i.from)).map(i => `${i.file} imports ${i.to}/`);
    expect(upward).toEqual([]);
  });

  test('the optimizer and the plan report are free of constructs and cdk8s, and model/ holds data, not constructs', () => {
    const offending = sources(SRC).filter(f => {
      const rel = path.relative(SRC, f);
      const text = fs.readFileSync(f, 'utf8');
      if (rel.startsWith(`optimizer${path.sep}`) || rel.startsWith(`report${path.sep}`)) return /from '(constructs|cdk8s|cdk8s-plus-33)'/.test(text);
      if (rel.startsWith(`model${path.sep}`) || rel.startsWith(`gpu${path.sep}`)) return /extends Construct\b/.test(text);
      return false;
    });
    expect(offending).toEqual([]);
  });
});
