/// <reference lib="dom" />
// Re-takes docs/images/plan-report.png, the picture of the plan report README shows:
//   npx ts-node --transpile-only --project test/tsconfig.json scripts/plan-report-screenshot.ts
// Needs Chromium (Debian's `chromium`, or CHROMIUM_PATH). The plan is README's `cdk8s-dynamo plan` example.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// playwright-core is a devDependency: this script is a development tool, not part of the package.
// eslint-disable-next-line import/no-extraneous-dependencies
import { chromium } from 'playwright-core';
import { GpuProfile, ModelArchitecture, PlanReport, SlaOptimizer } from '../src';

async function main(): Promise<void> {
  const plan = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-report-shot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    await page.setContent(PlanReport.html(plan), { waitUntil: 'load' });
    const out = path.join(__dirname, '..', 'docs', 'images', 'plan-report.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // The verdict, the request and the chart: what a reviewer sees first.
    const bottom = await page.evaluate(() => document.querySelector('figure')!.getBoundingClientRect().bottom);
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1100, height: Math.ceil(bottom) + 16 } });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
