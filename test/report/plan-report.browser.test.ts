/// <reference lib="dom" />
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GpuProfile, ModelArchitecture, PlanReport, SlaOptimizer } from '../../src';

// Renders the HTML report in headless Chromium (Debian's `chromium`; `.ci/run` installs it) and reads the drawn page:
// every front point is on the plot where its numbers say, the chosen one is ringed. Where no Chromium is installed
// the test is skipped with a message, so the README's test command still passes on a fresh clone.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
/** The flags this sandboxed, offline machine needs (no sandbox as root, no GPU, no background network). */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

if (!HAVE_CHROMIUM) {
  // .ci/run installs Chromium and sets PLAN_REPORT_BROWSER=required in CI, where a skip would hide a missing install.
  if (process.env.PLAN_REPORT_BROWSER === 'required') throw new Error(`PLAN_REPORT_BROWSER=required but there is no Chromium at ${CHROMIUM}`);
  // eslint-disable-next-line no-console
  console.warn(`plan-report.browser.test.ts: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

interface DrawnPoint {
  readonly index: number;
  readonly chosen: boolean;
  readonly mode: string;
  readonly perUser: number;
  readonly perGpu: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly visible: boolean;
}

(HAVE_CHROMIUM ? describe : describe.skip)(`plan report in headless Chromium (${CHROMIUM})`, () => {
  const plan = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } });
  interface Drawn {
    readonly points: DrawnPoint[];
    readonly plot: { left: number; right: number; top: number; bottom: number };
    readonly ring: { x: number; y: number; r: number };
    readonly errors: string[];
  }
  let drawn: Drawn;

  beforeAll(async () => {
    // playwright-core drives the system browser; it downloads nothing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core');
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-report-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e: Error) => errors.push(e.message));
      page.on('requestfailed', (r: any) => errors.push(`request ${r.url()}`));
      page.on('request', (r: any) => { if (!r.url().startsWith('data:') && r.url() !== 'about:blank') errors.push(`fetched ${r.url()}`); });
      await page.setContent(PlanReport.html(plan), { waitUntil: 'load' });
      drawn = await page.evaluate(() => {
        const svg = document.querySelector('svg.front-chart')!;
        const axes = svg.querySelectorAll('.axis > line');
        const xAxis = axes[0].getBoundingClientRect();
        const yAxis = axes[1].getBoundingClientRect();
        const points = [...svg.querySelectorAll('g.front-point')].map(g => {
          const shape = g.querySelector('circle, path')!;
          const box = shape.getBoundingClientRect();
          const style = getComputedStyle(shape);
          return {
            index: Number(g.getAttribute('data-index')),
            chosen: g.getAttribute('data-chosen') === 'true',
            mode: g.getAttribute('data-mode')!,
            perUser: Number(g.getAttribute('data-tokens-per-user')),
            perGpu: Number(g.getAttribute('data-tokens-per-gpu')),
            x: box.left + box.width / 2,
            y: box.top + box.height / 2,
            width: box.width,
            height: box.height,
            visible: style.visibility === 'visible' && style.display !== 'none' && Number(style.opacity) > 0 && style.stroke !== 'none',
          };
        });
        const ringBox = svg.querySelector('g.chosen-marker circle')!.getBoundingClientRect();
        return {
          points,
          plot: { left: yAxis.left, right: xAxis.right, top: yAxis.top, bottom: xAxis.bottom },
          ring: { x: ringBox.left + ringBox.width / 2, y: ringBox.top + ringBox.height / 2, r: ringBox.width / 2 },
          errors: [],
        };
      });
      drawn = { ...drawn, errors };
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);

  test('the page loads nothing from anywhere and throws nothing', () => {
    expect(drawn.errors).toEqual([]);
  });

  test('every front point is drawn, visible, inside the plot', () => {
    expect(drawn.points.map(p => p.index)).toEqual(plan.pareto.map((_c, i) => i));
    for (const p of drawn.points) {
      expect(p.visible).toBe(true);
      expect(p.width).toBeGreaterThan(4);
      expect(p.height).toBeGreaterThan(4);
      expect(p.x).toBeGreaterThanOrEqual(drawn.plot.left);
      expect(p.x).toBeLessThanOrEqual(drawn.plot.right);
      expect(p.y).toBeGreaterThanOrEqual(drawn.plot.top);
      expect(p.y).toBeLessThanOrEqual(drawn.plot.bottom);
    }
  });

  test('points sit where their numbers say: more tokens/s per user to the right, per GPU higher up', () => {
    const pts = drawn.points;
    expect(pts.map(p => [p.perUser, p.perGpu])).toEqual(plan.pareto.map(c => [c.tokensPerSecondPerUser, c.tokensPerSecondPerGpu]));
    for (const a of pts) {
      for (const b of pts) {
        if (a.perUser > b.perUser) expect(a.x).toBeGreaterThan(b.x);
        if (a.perGpu > b.perGpu) expect(a.y).toBeLessThan(b.y);
      }
    }
    expect(new Set(pts.map(p => p.mode))).toEqual(new Set(plan.pareto.map(c => c.mode)));
  });

  test('the chosen configuration is the one ringed', () => {
    const chosen = drawn.points.filter(p => p.chosen);
    expect(chosen.map(p => p.index)).toEqual([plan.pareto.indexOf(plan.best)]);
    expect(Math.abs(drawn.ring.x - chosen[0].x)).toBeLessThan(1);
    expect(Math.abs(drawn.ring.y - chosen[0].y)).toBeLessThan(1);
    expect(drawn.ring.r).toBeGreaterThan(chosen[0].width / 2);
  });
});
