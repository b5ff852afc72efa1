import { CandidateRows, ReportColumn } from './candidate-rows';
import { PlanCandidate, PlanResult } from '../optimizer/plan-result';

/** Columns dropped first when a table is too wide, last first: any extra field, then these. */
const DROP_ORDER = ['req/s', 'GPUs', 'TTFT ms'];
/** Where the label of a header line ends and its value starts (`targets:    TTFT <= ...`). */
const INDENT = 12;

/**
 * The plan as the CLI prints it: the text of `PlanResult.toText`, fitted to a terminal. Header lines wrap under
 * their value; tables keep the columns that fit, dropping the least telling ones first (extra fields, req/s, GPUs,
 * TTFT) and saying which; with no width limit (`--wide`) everything is shown on one line each.
 * @internal
 */
export class TerminalReport {
  /** Default width: what a terminal shows without wrapping, and what README's output is held to. */
  public static readonly DEFAULT_WIDTH = 100;

  /**
   * @param plan the plan
   * @param width the most columns a line may take; `undefined` for no limit
   */
  public static text(plan: PlanResult, width: number | undefined): string {
    const lines = plan.toText().split('\n');
    const end = lines.indexOf('');
    const header = lines.slice(0, end < 0 ? lines.length : end);
    const columns = CandidateRows.columns(plan);
    return [
      ...header.flatMap(l => TerminalReport.wrap(l, width)),
      '',
      'Best configuration per parallel layout (> chosen, * meets the SLA):',
      ...(plan.top.length > 0 ? TerminalReport.table(plan.top, plan.best, columns, width) : ['  (none meets the SLA)']),
      '',
      'Pareto front, tokens/s/user against tokens/s/GPU (> chosen, * meets the SLA):',
      ...TerminalReport.table(plan.pareto, plan.best, columns, width),
      '',
    ].join('\n');
  }

  /** A header line wrapped at word boundaries, continuation lines indented under its value. */
  private static wrap(line: string, width: number | undefined): string[] {
    if (width === undefined || line.length <= width) return [line];
    const out: string[] = [];
    let current = '';
    // `95 %` and `40 ms` stay together: a line never starts with a unit.
    const words = line.split(' ').reduce<string[]>((acc, w) => {
      if (acc.length > 0 && /^(%|ms|tokens|GPUs|GiB|tok\/s\/GPU|tok\/s\/user)[),;]*$/.test(w) && /\d$/.test(acc[acc.length - 1])) acc[acc.length - 1] += ` ${w}`;
      else acc.push(w);
      return acc;
    }, []);
    for (const word of words) {
      const next = current === '' ? word : `${current} ${word}`;
      if (next.length > width && current.trim() !== '') {
        out.push(current);
        current = `${' '.repeat(INDENT)}${word}`;
      } else {
        current = next;
      }
    }
    out.push(current);
    return out;
  }

  /** A fixed-width table: `>` marks the chosen row, `*` the rows that meet the SLA; numbers right-aligned. */
  private static table(rows: PlanCandidate[], chosen: PlanCandidate, all: ReportColumn[], width: number | undefined): string[] {
    const render = (columns: ReportColumn[]): string[] => {
      const cells = rows.map(c => columns.map(col => col.cell(c)));
      const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map(r => r[i].length)));
      const line = (mark: string, values: string[]) => `${mark}  ${values.map((v, i) => (columns[i].numeric ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ')}`.trimEnd();
      return [
        line('  ', columns.map(c => c.header)),
        ...rows.map((c, r) => line(`${c === chosen ? '>' : ' '}${c.meetsSla ? '*' : ' '}`, cells[r])),
      ];
    };
    let columns = all;
    let lines = render(columns);
    const dropped: string[] = [];
    const tooWide = () => width !== undefined && Math.max(...lines.map(l => l.length)) > width;
    while (tooWide()) {
      const extra = columns.filter(c => !TerminalReport.isCore(c)).pop();
      const victim = extra ?? DROP_ORDER.map(h => columns.find(c => c.header === h)).find(c => c !== undefined);
      if (!victim) break; // the core columns stay, even on a very narrow terminal
      columns = columns.filter(c => c !== victim);
      dropped.unshift(victim.header);
      lines = render(columns);
    }
    return dropped.length > 0 ? [...lines, `    (${dropped.join(', ')} left out to fit ${width} columns: --wide shows them)`] : lines;
  }

  /** The columns every table has (the extra fields of newer optimizers are not among them). */
  private static isCore(c: ReportColumn): boolean {
    return ['mode', 'backend', 'workers', 'ITL ms', 'tok/s/GPU', 'tok/s/user', ...DROP_ORDER].includes(c.header);
  }

  private constructor() {}
}
