// Where the shared reference material is: `../shared` beside the repository (CI checks it out there). From a git
// worktree elsewhere, beside the main checkout the worktree belongs to. Tests that read it skip with a message when
// it is absent; nothing looks anywhere else.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The main checkout of a worktree (the parent of git's common directory), or undefined outside git. */
function mainCheckout(): string | undefined {
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'],
      { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return path.dirname(common);
  } catch {
    return undefined;
  }
}

/** `../shared/<parts>` beside the repository (or beside the main checkout of this worktree) when it exists, else undefined. */
export function sharedReference(...parts: string[]): string | undefined {
  const roots = [REPO_ROOT, mainCheckout()].filter((r): r is string => r !== undefined);
  for (const root of roots) {
    const p = path.join(root, '..', 'shared', ...parts);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}
