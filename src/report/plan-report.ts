import { CandidateRows, Markup, ReportColumn } from './candidate-rows';
import { FrontChart } from './front-chart';
import { PlanCandidate, PlanResult, PoolPlan } from '../optimizer/plan-result';

/**
 * A plan as a report for reviewers: the Pareto front as a chart (tokens/s per user against tokens/s per GPU,
 * aggregated and disaggregated told apart, the SLA boundary, the chosen configuration marked) and the tables of the
 * best configurations. Every rendering is a pure function of the plan: deterministic (no dates or timings), so the
 * report diffs cleanly in a GitOps pull request, and self-contained (no scripts, fonts or links to fetch).
 *
 * ```ts
 * import { GpuProfile, ModelArchitecture, PlanReport, SlaOptimizer } from 'cdk8s-dynamo';
 *
 * const plan = SlaOptimizer.plan({
 *   model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 },
 * });
 * const page = PlanReport.html(plan); // write it where reviewers look, e.g. beside the synthesized YAML
 * ```
 */
export class PlanReport {
  /**
   * The whole report as one HTML page: the request and the choice, the front chart, the chosen pools, the best
   * configuration per parallel layout and the front as tables. No scripts; styles inline; system fonts.
   * @param plan the plan to show
   */
  public static html(plan: PlanResult): string {
    const title = PlanReport.title(plan);
    const columns = CandidateRows.columns(plan);
    const header = PlanReport.headerLines(plan);
    const parts = [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${Markup.escape(title)}</title>`,
      `<style>${PlanReport.STYLE}</style>`,
      '</head>',
      '<body>',
      `<h1>${Markup.escape(title)}</h1>`,
      `<p class="verdict ${plan.meetsSla ? 'meets' : 'misses'}">${plan.meetsSla ? 'Chosen' : 'Closest (misses the SLA, best effort)'}: `
        + `${Markup.escape(plan.summary())}</p>`,
      '<dl class="request">',
      ...header.map(([k, v]) => `<dt>${Markup.escape(k)}</dt><dd>${Markup.escape(v)}</dd>`),
      '</dl>',
      '<figure>',
      FrontChart.svg(plan, `Pareto front: ${title}`),
      `<figcaption>Pareto front of ${plan.pareto.length} configurations out of ${plan.candidatesEvaluated} evaluated: `
        + 'no other configuration has more tokens/s per GPU at as many tokens/s per user. '
        + `Left of the dashed line the ITL target (${plan.request.itlMs} ms) is missed; hollow points miss TTFT or ITL.</figcaption>`,
      '</figure>',
      '<h2>Chosen configuration</h2>',
      PlanReport.poolTable(plan.best),
      '<h2>Best configuration per parallel layout</h2>',
      plan.top.length > 0 ? PlanReport.table('top', plan.top, plan.best, columns) : '<p>None meets the SLA.</p>',
      '<h2>Pareto front</h2>',
      PlanReport.table('front', plan.pareto, plan.best, columns),
      `<footer>cdk8s-dynamo SLA plan; calibration ${Markup.escape(plan.calibrationId)}. `
        + '&gt; marks the chosen row, ✓ the rows that meet the SLA.</footer>',
      '</body>',
      '</html>',
      '',
    ];
    return parts.join('\n');
  }

  /**
   * The front chart alone, as a standalone SVG document.
   * @param plan the plan to show
   */
  public static svg(plan: PlanResult): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n${FrontChart.svg(plan, `Pareto front: ${PlanReport.title(plan)}`)}\n`;
  }

  /**
   * The Pareto front as CSV (RFC 4180, a header row, one row per configuration, fastest per user first): `chosen`,
   * then every field of the plan's JSON candidates, pools flattened as `agg.tp`, `prefill.workers`, `decode.batch`…,
   * the rationale last. Fields a newer optimizer adds appear as further columns.
   * @param plan the plan whose front to write
   */
  public static csv(plan: PlanResult): string {
    const json = plan.toJson();
    const extras = CandidateRows.extraFields(plan);
    const rows = (json.pareto as unknown[]).map((c, i) => {
      const flat = CandidateRows.flatten(c);
      flat.delete('rationale');
      // A field the candidates carry that their JSON does not (yet) still gets a column.
      const candidate = plan.pareto[i] as unknown as Record<string, unknown>;
      for (const key of extras) if (!flat.has(key)) flat.set(key, candidate[key]);
      return new Map<string, unknown>([['chosen', plan.pareto[i] === plan.best], ...flat, ['rationale', (c as any).rationale]]);
    });
    const seen: string[] = [];
    for (const row of rows) for (const k of row.keys()) if (!seen.includes(k)) seen.push(k);
    // The candidate's own fields, then its pools (agg, prefill, decode), then the rationale: prose goes last.
    const group = (k: string) => k === 'rationale' ? 9 : !k.includes('.') ? 0 : 1 + Math.max(0, ['agg', 'prefill', 'decode'].indexOf(k.split('.')[0]));
    const keys = [...seen].sort((a, b) => group(a) - group(b) || seen.indexOf(a) - seen.indexOf(b));
    const cell = (v: unknown) => {
      const s = v === undefined || v === null ? '' : String(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    return [keys.map(cell).join(','), ...rows.map(r => keys.map(k => cell(r.get(k))).join(','))].join('\r\n') + '\r\n';
  }

  private static readonly STYLE = [
    'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222;line-height:1.4}',
    'h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px}',
    '.verdict{font-weight:600;padding:8px 12px;border-radius:4px}.verdict.meets{background:#e8f3ec}.verdict.misses{background:#fbeaea}',
    'dl.request{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}dt{color:#555}dd{margin:0}',
    'figure{margin:16px 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}figcaption{font-size:13px;color:#555;margin-top:4px}',
    'table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}th,td{padding:3px 10px;border-bottom:1px solid #e4e4e4;text-align:left;white-space:nowrap}',
    'th{background:#f4f4f4}td.num,th.num{text-align:right}tr.chosen td{font-weight:700;background:#fff7d6}tr.misses td{color:#777}',
    'footer{margin-top:28px;font-size:12px;color:#666}',
  ].join('');

  /** `SLA plan: Qwen/Qwen3-32B on h200-sxm, within 8 GPUs`: the first line of the plan's text. */
  private static title(plan: PlanResult): string {
    return plan.toText().split('\n')[0];
  }

  /**
   * The plan text's header (`targets:`, `queueing:`, `searched:`, `why:` … up to the first blank line) as label and
   * value pairs: lines the optimizer adds there show up here too.
   */
  private static headerLines(plan: PlanResult): [string, string][] {
    const lines = plan.toText().split('\n');
    const end = lines.indexOf('');
    return lines.slice(1, end < 0 ? lines.length : end)
      .map(l => /^([^:]+):\s*(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && !/^(chosen|closest)$/.test(m[1].trim()))
      .map(m => [m[1].trim(), m[2]]);
  }

  private static table(id: string, rows: PlanCandidate[], chosen: PlanCandidate, columns: ReportColumn[]): string {
    const th = (c: ReportColumn) => `<th${c.numeric ? ' class="num"' : ''}>${Markup.escape(c.header)}</th>`;
    const out = [`<table class="candidates" id="${id}">`, `<thead><tr><th></th>${columns.map(th).join('')}</tr></thead>`, '<tbody>'];
    for (const c of rows) {
      const cls = [c === chosen ? 'chosen' : '', c.meetsSla ? '' : 'misses'].filter(Boolean).join(' ');
      const mark = `${c === chosen ? '&gt;' : ''}${c.meetsSla ? '✓' : ''}`;
      const cells = columns.map(col => `<td${col.numeric ? ' class="num"' : ''}>${Markup.escape(col.cell(c))}</td>`).join('');
      out.push(`<tr${cls ? ` class="${cls}"` : ''} title="${Markup.escape(c.rationale)}"><td>${mark}</td>${cells}</tr>`);
    }
    out.push('</tbody>', '</table>');
    return out.join('\n');
  }

  /** The chosen configuration's pools, one row each, and why. */
  private static poolTable(c: PlanCandidate): string {
    const pools: [string, PoolPlan | undefined][] = c.aggregated ? [['aggregated', c.aggregated]] : [['prefill', c.prefill], ['decode', c.decode]];
    const headers = ['pool', 'workers', 'TP', 'PP', 'EP', 'GPUs/worker', 'nodes/worker', 'batch', 'max batched tokens', 'max model len',
      'memory GiB/GPU', 'KV cache GiB/GPU', 'sequences admitted'];
    const out = ['<table class="pools">', `<thead><tr>${headers.map((h, i) => `<th${i > 0 ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead>`, '<tbody>'];
    for (const [role, p] of pools) {
      if (!p) continue;
      const cells = [p.workers, p.tensorParallel, p.pipelineParallel, p.expertParallel, p.gpusPerWorker, p.nodesPerWorker, p.batchSize,
        p.maxNumBatchedTokens, p.maxModelLen, p.memoryGiBPerGpu, p.kvCacheGiBPerGpu, p.admissibleSequences].map(v => CandidateRows.scalar(v));
      out.push(`<tr><td>${role}</td>${cells.map(v => `<td class="num">${Markup.escape(v)}</td>`).join('')}</tr>`);
    }
    out.push('</tbody>', '</table>', `<p class="why">Why: ${Markup.escape(c.rationale)}</p>`);
    return out.join('\n');
  }

  private constructor() {}
}
