import { PlanCandidate, PlanResult, PoolPlan } from '../optimizer/plan-result';

/** The candidate fields the report lays out itself; any other scalar field is shown as an extra column. */
const KNOWN_FIELDS = new Set([
  'mode', 'backend', 'aggregated', 'prefill', 'decode', 'gpus', 'ttftMs', 'itlMs', 'tokensPerSecondPerGpu',
  'tokensPerSecondPerUser', 'requestsPerSecond', 'meetsSla', 'rationale',
]);

/** One column a report table shows: a header and how to read a cell from a candidate. */
export interface ReportColumn {
  readonly header: string;
  /** Right-aligned (numbers) or left-aligned (words). */
  readonly numeric: boolean;
  readonly cell: (c: PlanCandidate) => string;
}

/**
 * What the HTML, SVG and CSV renderings share: how a candidate's pools read, its table columns, and the fields a
 * newer optimizer adds that the report does not know by name (shown as they come, so nothing is lost).
 * @internal
 */
export class CandidateRows {
  /** `4x TP1 b1` or `P 4x TP1 b1 + D 2x TP2 b48`: the pools, as the CLI's tables write them. */
  public static layout(c: PlanCandidate): string {
    const pool = (p: PoolPlan) => `${p.workers}x TP${p.tensorParallel}${p.pipelineParallel > 1 ? ` PP${p.pipelineParallel}` : ''}`
      + `${p.expertParallel > 1 ? ` EP${p.expertParallel}` : ''} b${p.batchSize}`;
    if (c.aggregated) return pool(c.aggregated);
    return `P ${c.prefill ? pool(c.prefill) : '?'} + D ${c.decode ? pool(c.decode) : '?'}`;
  }

  /** Scalar fields of the plan's candidates that the report has no column for, in first-seen order. */
  public static extraFields(plan: PlanResult): string[] {
    const seen = new Set<string>();
    for (const c of [plan.best, ...plan.top, ...plan.pareto]) {
      for (const [key, value] of Object.entries(c)) {
        if (!KNOWN_FIELDS.has(key) && CandidateRows.isScalar(value)) seen.add(key);
      }
    }
    return [...seen];
  }

  /** The columns of the report's tables: the known ones, then one per extra field. */
  public static columns(plan: PlanResult): ReportColumn[] {
    const fixed = (header: string, digits: number, read: (c: PlanCandidate) => number): ReportColumn =>
      ({ header, numeric: true, cell: c => CandidateRows.number(read(c), digits) });
    return [
      { header: 'mode', numeric: false, cell: c => String(c.mode) },
      { header: 'backend', numeric: false, cell: c => String(c.backend) },
      { header: 'workers', numeric: false, cell: c => CandidateRows.layout(c) },
      fixed('GPUs', 0, c => c.gpus),
      fixed('TTFT ms', 1, c => c.ttftMs),
      fixed('ITL ms', 1, c => c.itlMs),
      fixed('tok/s/GPU', 1, c => c.tokensPerSecondPerGpu),
      fixed('tok/s/user', 1, c => c.tokensPerSecondPerUser),
      fixed('req/s', 2, c => c.requestsPerSecond),
      ...CandidateRows.extraFields(plan).map(key => ({
        header: CandidateRows.words(key),
        numeric: true,
        cell: (c: PlanCandidate) => CandidateRows.scalar((c as unknown as Record<string, unknown>)[key]),
      })),
    ];
  }

  /** `costPerMillionTokens` -> `cost per million tokens`; `ttftP99Ms` -> `ttft p99 ms`. */
  public static words(key: string): string {
    return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase();
  }

  /** A number with `digits` decimals, or an empty cell when it is missing or not finite. */
  public static number(n: unknown, digits: number): string {
    return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '';
  }

  /** A scalar as a cell: numbers to at most 3 decimals, words as they are. */
  public static scalar(v: unknown): string {
    if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '';
    if (typeof v === 'string' || typeof v === 'boolean') return String(v);
    return '';
  }

  /** Flattens plain JSON into `a.b` keys (arrays are kept whole, as JSON). */
  public static flatten(value: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) CandidateRows.flatten(v, prefix ? `${prefix}.${k}` : k, out);
    } else if (value !== undefined) {
      out.set(prefix, Array.isArray(value) ? JSON.stringify(value) : value);
    }
    return out;
  }

  private static isScalar(v: unknown): boolean {
    return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
  }

  private constructor() {}
}

/**
 * Text made safe for HTML and SVG.
 * @internal
 */
export class Markup {
  /** `&`, `<`, `>`, `"` and `'` escaped, for text and attribute values alike. */
  public static escape(text: string): string {
    return text.replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]!));
  }

  private constructor() {}
}
