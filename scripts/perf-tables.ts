// Dev-time reader for AIConfigurator's measured kernel tables (../shared/reference/aic/perf/*.csv).
// Used by scripts/calibrate.ts and by the accuracy tests; the library never reads these files.
import * as fs from 'fs';
import * as path from 'path';

/** Directory holding the measured tables, or undefined when the shared reference is not checked out. */
export function perfTablesDir(): string | undefined {
  const dir = path.resolve(__dirname, '..', '..', 'shared', 'reference', 'aic', 'perf');
  return fs.existsSync(path.join(dir, 'h100_sxm_gemm.csv')) ? dir : undefined;
}

/** Rows of one table as objects keyed by column name (numbers where the column is numeric). */
export function readPerfTable(dir: string, file: string): Array<Record<string, string | number>> {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter(l => l && !l.startsWith('#'));
  const header = lines[0].split(',');
  return lines.slice(1).map(line => {
    const cells = line.split(',');
    const row: Record<string, string | number> = {};
    header.forEach((h, i) => {
      const n = Number(cells[i]);
      row[h] = cells[i] !== '' && Number.isFinite(n) ? n : cells[i];
    });
    return row;
  });
}
