import { GpuProfile, ModelArchitecture, PlanCandidate, PlanReport, PlanResult, SlaOptimizer } from '../../src';

const plan = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } });

/** The same plan, its candidates carrying a field this renderer has never heard of (as later optimizers add). */
function withExtraField(p: PlanResult): PlanResult {
  const extra = new Map<PlanCandidate, PlanCandidate>();
  const add = (c: PlanCandidate): PlanCandidate => {
    if (!extra.has(c)) extra.set(c, { ...c, costPerMillionTokens: Math.round(c.gpus * 1000 / c.tokensPerSecondPerGpu) / 100, rationale: `${c.rationale} <"&'>` } as PlanCandidate);
    return extra.get(c)!;
  };
  return PlanResult._of(add(p.best), p.top.map(add), p.pareto.map(add), p.candidatesEvaluated, p.request, p.calibrationId);
}

describe('html', () => {
  const html = PlanReport.html(plan);

  test('is self-contained: no scripts, no external fonts, styles or links', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|@import|@font-face|url\(/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    // The one URL is the SVG namespace, which is a name, not a fetch.
    expect([...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map(m => m[0])).toEqual(['http://www.w3.org/2000/svg']);
  });

  test('draws one point per front configuration, marks the chosen one and shows the SLA boundary', () => {
    const points = [...html.matchAll(/<g class="front-point" data-index="(\d+)" data-mode="(\w+)"[^>]*data-chosen="(\w+)"/g)];
    expect(points.map(m => Number(m[1]))).toEqual(plan.pareto.map((_c, i) => i));
    expect(points.map(m => m[2])).toEqual(plan.pareto.map(c => c.mode));
    expect(points.filter(m => m[3] === 'true').map(m => Number(m[1]))).toEqual([plan.pareto.indexOf(plan.best)]);
    expect(html).toContain(`<g class="chosen-marker" data-index="${plan.pareto.indexOf(plan.best)}">`);
    expect(html).toContain(`data-tokens-per-user="${Math.round(10000 / plan.request.itlMs) / 10}"`);
    expect(new Set(plan.pareto.map(c => c.mode)).size).toBe(2); // this plan's front has both modes: both shapes are drawn
    expect(html).toMatch(/<circle [^>]*r="5.5"/);
    expect(html).toMatch(/<path d="M[^"]+Z"/);
  });

  test('has the tables of the chosen pools, the best per layout and the front', () => {
    expect(html).toContain('<table class="pools">');
    const rows = (id: string) => html.slice(html.indexOf(`<table class="candidates" id="${id}">`)).split('</table>')[0].match(/<tr[ >]/g)!.length - 1;
    expect(rows('top')).toBe(plan.top.length);
    expect(rows('front')).toBe(plan.pareto.length);
    expect(html).toContain(plan.calibrationId);
  });

  test('is deterministic', () => {
    const again = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } });
    expect(PlanReport.html(again)).toBe(html);
    expect(PlanReport.svg(again)).toBe(PlanReport.svg(plan));
  });

  test('shows fields it does not know as columns, and escapes text', () => {
    const extra = PlanReport.html(withExtraField(plan));
    expect(extra).toContain('<th class="num">cost per million tokens</th>');
    expect(extra).toContain('&lt;&quot;&amp;&#39;&gt;');
    expect(extra).not.toContain('<"&\'>');
  });

  test('a plan that misses the SLA says so and has no best-per-layout table', () => {
    const missed = SlaOptimizer.plan({
      model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 2 }, sla: { ttftMs: 5, itlMs: 2 }, bestEffort: true,
    });
    expect(missed.meetsSla).toBe(false);
    const page = PlanReport.html(missed);
    expect(page).toContain('Closest (misses the SLA, best effort)');
    expect(page).toContain('<p>None meets the SLA.</p>');
    expect(page).toContain('closest (misses the SLA)');
  });
});

describe('svg', () => {
  test('is a standalone SVG document with the same chart', () => {
    const svg = PlanReport.svg(plan);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/class="front-point"/g)!.length).toBe(plan.pareto.length);
    expect(PlanReport.html(plan)).toContain(svg.split('\n').slice(1).join('\n').trim());
  });
});

describe('csv', () => {
  const csv = PlanReport.csv(plan);
  const [header, ...rows] = csv.trimEnd().split('\r\n');
  const columns = header.split(',');

  test('one row per front configuration, with its JSON fields flattened', () => {
    expect(rows.length).toBe(plan.pareto.length);
    expect(columns.slice(0, 3)).toEqual(['chosen', 'mode', 'backend']);
    expect(columns).toEqual(expect.arrayContaining(['agg.tp', 'prefill.workers', 'decode.batch', 'tokensPerSecondPerGpu', 'meetsSla']));
    expect(columns[columns.length - 1]).toBe('rationale');
    const chosen = rows.map(r => r.split(',')[0]);
    expect(chosen.filter(c => c === 'true').length).toBe(1);
    expect(chosen.indexOf('true')).toBe(plan.pareto.indexOf(plan.best));
  });

  test('fields match the JSON and quoting follows RFC 4180', () => {
    const gpuCol = columns.indexOf('tokensPerSecondPerGpu');
    expect(rows.map(r => Number(r.split(',')[gpuCol]))).toEqual(plan.pareto.map(c => c.tokensPerSecondPerGpu));
    const extra = PlanReport.csv(withExtraField(plan));
    expect(extra.split('\r\n')[0].split(',')).toContain('costPerMillionTokens');
    expect(extra).toContain('<""&\'>"');
  });
});
