// Optimizer benchmarks (`npx projen bench`): medians and ratios to the targets. Not a test: numbers vary by machine.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GpuProfile, ModelArchitecture, SlaOptimizer } from '../src';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const report = (name: string, ms: number, target: number) =>
  console.log(`${name.padEnd(58)} median ${ms.toFixed(1).padStart(7)} ms   target ${String(target).padStart(5)} ms   ratio ${(ms / target).toFixed(2)}`);

// 1. Full aggregated + disaggregated search, all three backends, dense model, one GPU type, in-process.
const request = { model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } };
const first = performance.now();
SlaOptimizer.plan(request);
console.log(`first search (decodes the embedded calibration)             ${(performance.now() - first).toFixed(1)} ms`);
const times: number[] = [];
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  SlaOptimizer.plan(request);
  times.push(performance.now() - t);
}
report('plan Qwen3-32B on 8 x H200, agg + disagg, 3 backends', median(times), 50);

// For information (no target): an MoE + MLA model searches more layouts (expert parallelism) and more kernels.
const moe = { model: ModelArchitecture.of('deepseek-ai/DeepSeek-V3'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 }, bestEffort: true };
SlaOptimizer.plan(moe);
const moeTimes: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  SlaOptimizer.plan(moe);
  moeTimes.push(performance.now() - t);
}
console.log(`${'plan DeepSeek-V3 on 8 x H200 (MoE, MLA), for information'.padEnd(58)} median ${median(moeTimes).toFixed(1).padStart(7)} ms`);

// 2. The whole CLI call including Node start-up, from the compiled package.
const bin = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
if (fs.existsSync(bin)) {
  const cli: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--total-gpus', '8', '--json']);
    cli.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`cli failed: ${r.stderr}`);
  }
  report('node lib/cli/main.js plan ... --json (whole process)', median(cli), 1000);
} else {
  console.log('CLI: lib/cli/main.js not built; run `npx projen compile` (or `npx jsii`) first, then rerun to time the whole CLI call.');
}
