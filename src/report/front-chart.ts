import { CandidateRows, Markup } from './candidate-rows';
import { PlanCandidate, PlanResult } from '../optimizer/plan-result';
import { ServingMode } from '../optimizer/sla';

/** Okabe-Ito colours: told apart with every common colour-vision deficiency, and by shape as well. */
const COLOURS = { agg: '#0072B2', disagg: '#D55E00', front: '#999999', sla: '#B2182B', chosen: '#000000' };

/** Plot geometry, in SVG user units. */
const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { left: 76, right: 24, top: 48, bottom: 56 };

/**
 * The Pareto front as an SVG chart: tokens/s per user (x) against tokens/s per GPU (y), aggregated points as
 * circles and disaggregated ones as diamonds, hollow where the SLA is missed, the ITL target as a vertical boundary,
 * and the chosen configuration ringed. Every front point is a `g.front-point` with `data-*` attributes (index, mode,
 * backend, meets-sla, chosen), so a test or a reader's tool can find it in the page.
 * @internal
 */
export class FrontChart {
  /** The chart as an `<svg>` element (standalone: `xmlns` set, styles inline). */
  public static svg(plan: PlanResult, title: string): string {
    const points = plan.pareto;
    const chosenOnFront = points.includes(plan.best);
    const all = chosenOnFront ? points : [...points, plan.best];
    const slaX = plan.request.itlMs > 0 ? 1000 / plan.request.itlMs : 0;
    const xTicks = FrontChart.ticks(Math.max(slaX, ...all.map(c => c.tokensPerSecondPerUser)));
    const yTicks = FrontChart.ticks(Math.max(...all.map(c => c.tokensPerSecondPerGpu)));
    const xMax = xTicks[xTicks.length - 1];
    const yMax = yTicks[yTicks.length - 1];
    const plotW = WIDTH - MARGIN.left - MARGIN.right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const x = (v: number) => MARGIN.left + (v / xMax) * plotW;
    const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
    const f = (n: number) => String(Math.round(n * 10) / 10);

    const out: string[] = [];
    out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="front-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="front-chart-title">`);
    out.push(`<title id="front-chart-title">${Markup.escape(title)}</title>`);
    out.push('<style>text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:12px;fill:#222}'
      + '.axis line,.axis path{stroke:#444}.grid line{stroke:#e4e4e4}.label{font-size:13px}.legend text{font-size:12px}</style>');
    out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);

    // Grid and axes.
    out.push('<g class="grid">');
    for (const t of xTicks) out.push(`<line x1="${f(x(t))}" y1="${MARGIN.top}" x2="${f(x(t))}" y2="${MARGIN.top + plotH}"/>`);
    for (const t of yTicks) out.push(`<line x1="${MARGIN.left}" y1="${f(y(t))}" x2="${MARGIN.left + plotW}" y2="${f(y(t))}"/>`);
    out.push('</g>');

    // Where the ITL target is missed: left of x = 1000 / ITL.
    if (slaX > 0) {
      out.push(`<g class="sla-boundary" data-tokens-per-user="${f(slaX)}">`);
      out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${f(x(slaX) - MARGIN.left)}" height="${plotH}" fill="${COLOURS.sla}" fill-opacity="0.06"/>`);
      out.push(`<line x1="${f(x(slaX))}" y1="${MARGIN.top}" x2="${f(x(slaX))}" y2="${MARGIN.top + plotH}" stroke="${COLOURS.sla}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
      const anchor = x(slaX) > MARGIN.left + plotW - 150 ? 'end' : 'start';
      const dx = anchor === 'end' ? -6 : 6;
      out.push(`<text x="${f(x(slaX) + dx)}" y="${MARGIN.top + 14}" text-anchor="${anchor}" fill="${COLOURS.sla}">SLA: ITL ≤ ${plan.request.itlMs} ms (≥ ${f(slaX)} tok/s/user)</text>`);
      out.push('</g>');
    }

    out.push('<g class="axis">');
    out.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}"/>`);
    out.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}"/>`);
    for (const t of xTicks) {
      out.push(`<line x1="${f(x(t))}" y1="${MARGIN.top + plotH}" x2="${f(x(t))}" y2="${MARGIN.top + plotH + 5}"/>`);
      out.push(`<text x="${f(x(t))}" y="${MARGIN.top + plotH + 19}" text-anchor="middle">${FrontChart.tickLabel(t)}</text>`);
    }
    for (const t of yTicks) {
      out.push(`<line x1="${MARGIN.left - 5}" y1="${f(y(t))}" x2="${MARGIN.left}" y2="${f(y(t))}"/>`);
      out.push(`<text x="${MARGIN.left - 8}" y="${f(y(t) + 4)}" text-anchor="end">${FrontChart.tickLabel(t)}</text>`);
    }
    out.push(`<text class="label" x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">output tokens/s per user (1000 / ITL)</text>`);
    out.push(`<text class="label" transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">output tokens/s per GPU</text>`);
    out.push('</g>');

    // The front as a line, fastest per user first, then its points.
    const line = [...points].sort((a, b) => a.tokensPerSecondPerUser - b.tokensPerSecondPerUser)
      .map(c => `${f(x(c.tokensPerSecondPerUser))},${f(y(c.tokensPerSecondPerGpu))}`).join(' ');
    if (points.length > 1) out.push(`<polyline class="front-line" points="${line}" fill="none" stroke="${COLOURS.front}" stroke-width="1.2"/>`);
    points.forEach((c, i) => out.push(FrontChart.point(c, i, c === plan.best, 'front-point', x, y, f)));
    if (!chosenOnFront) out.push(FrontChart.point(plan.best, -1, true, 'chosen-point', x, y, f));

    // The chosen configuration: a ring and a label.
    const cx = x(plan.best.tokensPerSecondPerUser);
    const cy = y(plan.best.tokensPerSecondPerGpu);
    const labelLeft = cx > MARGIN.left + plotW - 120;
    out.push(`<g class="chosen-marker" data-index="${chosenOnFront ? points.indexOf(plan.best) : -1}">`);
    out.push(`<circle cx="${f(cx)}" cy="${f(cy)}" r="11" fill="none" stroke="${COLOURS.chosen}" stroke-width="2"/>`);
    out.push(`<text x="${f(cx + (labelLeft ? -15 : 15))}" y="${f(cy - 12)}" text-anchor="${labelLeft ? 'end' : 'start'}" font-weight="bold">${plan.meetsSla ? 'chosen' : 'closest (misses the SLA)'}</text>`);
    out.push('</g>');

    out.push(FrontChart.legend(MARGIN.left, 20));
    out.push('</svg>');
    return out.join('\n');
  }

  /** One candidate: a circle (aggregated) or a diamond (disaggregated), hollow when it misses the SLA. */
  private static point(c: PlanCandidate, index: number, chosen: boolean, cls: string,
    x: (v: number) => number, y: (v: number) => number, f: (n: number) => string): string {
    const agg = c.mode === ServingMode.AGGREGATED;
    const colour = agg ? COLOURS.agg : COLOURS.disagg;
    const fill = c.meetsSla ? colour : '#ffffff';
    const px = x(c.tokensPerSecondPerUser);
    const py = y(c.tokensPerSecondPerGpu);
    const shape = agg
      ? `<circle cx="${f(px)}" cy="${f(py)}" r="5.5" fill="${fill}" stroke="${colour}" stroke-width="1.8"/>`
      : `<path d="M${f(px)} ${f(py - 7)}L${f(px + 7)} ${f(py)}L${f(px)} ${f(py + 7)}L${f(px - 7)} ${f(py)}Z" fill="${fill}" stroke="${colour}" stroke-width="1.8"/>`;
    const tip = `${c.mode} ${c.backend} ${CandidateRows.layout(c)}: ${c.gpus} GPUs, TTFT ${c.ttftMs} ms, ITL ${c.itlMs} ms, `
      + `${c.tokensPerSecondPerGpu} tok/s/GPU, ${c.tokensPerSecondPerUser} tok/s/user${c.meetsSla ? '' : ' (misses the SLA)'}`;
    return `<g class="${cls}" data-index="${index}" data-mode="${Markup.escape(String(c.mode))}" data-backend="${Markup.escape(String(c.backend))}" `
      + `data-meets-sla="${c.meetsSla}" data-chosen="${chosen}" data-tokens-per-user="${c.tokensPerSecondPerUser}" `
      + `data-tokens-per-gpu="${c.tokensPerSecondPerGpu}"><title>${Markup.escape(tip)}</title>${shape}</g>`;
  }

  /** The legend, in one row above the plot so it never covers a point. */
  private static legend(left: number, top: number): string {
    const items = [
      `<circle cx="6" cy="0" r="5.5" fill="${COLOURS.agg}" stroke="${COLOURS.agg}" stroke-width="1.8"/><text x="16" y="4">aggregated</text>`,
      `<path d="M116 -7L123 0L116 7L109 0Z" fill="${COLOURS.disagg}" stroke="${COLOURS.disagg}" stroke-width="1.8"/><text x="128" y="4">disaggregated</text>`,
      '<circle cx="240" cy="0" r="5.5" fill="#ffffff" stroke="#555" stroke-width="1.8"/><text x="250" y="4">hollow: misses TTFT or ITL</text>',
      `<circle cx="430" cy="0" r="9" fill="none" stroke="${COLOURS.chosen}" stroke-width="2"/><text x="444" y="4">chosen</text>`,
    ];
    return `<g class="legend" transform="translate(${left} ${top})">${items.join('')}</g>`;
  }

  /** Round tick values from 0 to at least `max` (about 5 intervals of 1, 2 or 5 times a power of ten). */
  private static ticks(max: number): number[] {
    const top = max > 0 && Number.isFinite(max) ? max * 1.05 : 1;
    const raw = top / 5;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw)!;
    const out: number[] = [];
    for (let t = 0; t < top + step * 1e-9; t += step) out.push(Math.round(t / power * 1e6) / 1e6 * power);
    if (out[out.length - 1] < top) out.push(out[out.length - 1] + step);
    return out;
  }

  private static tickLabel(t: number): string {
    return Number.isInteger(t) ? String(t) : String(Math.round(t * 1000) / 1000);
  }

  private constructor() {}
}
