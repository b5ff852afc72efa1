// Where the shared reference material is: `../shared` beside the repository (CI checks it out there). Tests that
// read it skip with a message when it is absent; nothing looks anywhere else.
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** `../shared/<parts>` beside the repository when it exists, else undefined. */
export function sharedReference(...parts: string[]): string | undefined {
  const p = path.join(REPO_ROOT, '..', 'shared', ...parts);
  return fs.existsSync(p) ? p : undefined;
}
