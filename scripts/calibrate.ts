// Fits the optimizer's embedded calibration from AIConfigurator's measured H100/H200 kernel tables and writes
// src/optimizer/kernels/calibration/data.ts. Dev-time only: `npx ts-node --transpile-only --project test/tsconfig.json scripts/calibrate.ts`.
//
// Each table row becomes (grid group, grid point, log(speed of light / measured)). Per group, the log-efficiencies
// on the grid nodes are the least-squares fit of the multilinear interpolation to the rows, with a small smoothing
// penalty between neighbouring nodes so that nodes without data follow their neighbours.
import * as fs from 'fs';
import * as path from 'path';
import { perfTablesDir, readPerfTable } from './perf-tables';
import { GpuProfile } from '../src/gpu/gpu-profile';
import { CalibrationAxes } from '../src/optimizer/kernels/calibration/axes';
import { EfficiencyGrid } from '../src/optimizer/kernels/calibration/grid';
import { KernelModel, KernelShape } from '../src/optimizer/kernels/kernel-model';
import { GpuPeaks, Roofline } from '../src/optimizer/kernels/roofline';

interface Sample { shape: KernelShape; ms: number }

const SYSTEMS = ['h100_sxm', 'h200_sxm'];
const dtype = (s: string) => (s === 'bfloat16' ? 'bf16' : s) as any;

/** Every row of every table of one system, as kernel shapes on that system's peaks. */
export function samples(dir: string, system: string): Sample[] {
  const peaks = GpuPeaks.of(GpuProfile.of(system));
  const out: Sample[] = [];
  for (const r of readPerfTable(dir, `${system}_gemm.csv`)) {
    out.push({ shape: KernelModel.gemmShape(peaks, +r.m, +r.n, +r.k, dtype(String(r.gemm_dtype))), ms: +r.latency_ms });
  }
  for (const r of readPerfTable(dir, `${system}_context_attention.csv`)) {
    out.push({
      shape: KernelModel.contextShape(peaks, +r.batch_size, +r.seq_len, +r.num_heads_per_gpu, +r.num_kv_heads_per_gpu, +r.head_dim,
        +r.window_size, dtype(String(r.fmha_dtype)), dtype(String(r.kv_cache_dtype))),
      ms: +r.latency_ms,
    });
  }
  for (const r of readPerfTable(dir, `${system}_generation_attention.csv`)) {
    out.push({
      shape: KernelModel.generationShape(peaks, +r.batch_size, +r.kv_seq_len, +r.num_heads_per_gpu, +r.num_kv_heads_per_gpu, +r.head_dim,
        +r.window_size, dtype(String(r.kv_cache_dtype))),
      ms: +r.latency_ms,
    });
  }
  for (const r of readPerfTable(dir, `${system}_custom_allreduce.csv`)) {
    out.push({ shape: KernelModel.allReduceShape(peaks, +r.message_size_elements, +r.num_gpus), ms: +r.latency_ms });
  }
  for (const r of readPerfTable(dir, `${system}_nccl.csv`)) {
    if (r.dtype !== 'half') continue;
    out.push({ shape: KernelModel.ncclShape(peaks, r.op as any, 2 * +r.message_size_elements, +r.num_gpus), ms: +r.latency_ms });
  }
  for (const r of readPerfTable(dir, `${system}_moe.csv`)) {
    const kind = String(r.moe_dtype) === 'w4a16_mxfp4' ? 'mxfp4' : dtype(String(r.moe_dtype));
    const skew = String(r.distribution).replace('power_law_', '') as '1.01' | '1.2';
    out.push({
      shape: KernelModel.moeShape(peaks, +r.num_tokens, +r.hidden_size, +r.moe_inter_size, +r.topk, +r.num_experts, +r.moe_tp_size,
        +r.moe_ep_size, kind, skew),
      ms: +r.latency_ms,
    });
  }
  return out;
}

/** Least squares with neighbour smoothing, by conjugate gradients on the normal equations (matrix-free). */
function fit(axes: number[][], rows: Array<{ shape: { point: number[]; sol: KernelShape['sol'] }; ms: number }>): Float64Array {
  const size = axes.reduce((n, a) => n * a.length, 1);
  const corners = rows.map(s => EfficiencyGrid.corners(axes, s.shape.point));
  const y = rows.map(s => Math.log(Roofline.time(s.shape.sol) / s.ms));
  const smooth = 1e-3 * Math.max(1, rows.length / size);
  const neighbours: Array<[number, number]> = [];
  for (let i = 0; i < size; i++) {
    let stride = 1;
    for (let a = axes.length - 1; a >= 0; a--) {
      const pos = Math.floor(i / stride) % axes[a].length;
      if (pos + 1 < axes[a].length) neighbours.push([i, i + stride]);
      stride *= axes[a].length;
    }
  }
  const apply = (v: Float64Array): Float64Array => {
    const out = new Float64Array(size);
    corners.forEach(cs => {
      let dot = 0;
      for (const [i, w] of cs) dot += w * v[i];
      for (const [i, w] of cs) out[i] += w * dot;
    });
    for (const [i, j] of neighbours) {
      const d = smooth * (v[i] - v[j]);
      out[i] += d; out[j] -= d;
    }
    for (let i = 0; i < size; i++) out[i] += 1e-9 * v[i];
    return out;
  };
  const b = new Float64Array(size);
  corners.forEach((cs, r) => { for (const [i, w] of cs) b[i] += w * y[r]; });
  const x = new Float64Array(size);
  const r = Float64Array.from(b);
  const p = Float64Array.from(r);
  let rr = r.reduce((s, v) => s + v * v, 0);
  for (let it = 0; it < 2000 && rr > 1e-20; it++) {
    const ap = apply(p);
    const alpha = rr / p.reduce((s, v, i) => s + v * ap[i], 0);
    for (let i = 0; i < size; i++) { x[i] += alpha * p[i]; r[i] -= alpha * ap[i]; }
    const next = r.reduce((s, v) => s + v * v, 0);
    for (let i = 0; i < size; i++) p[i] = r[i] + (next / rr) * p[i];
    rr = next;
  }
  return x;
}

/** Fits one group's grid and encodes it. */
function fitGroup(axes: number[][], rows: Sample[], pointOf: (s: Sample) => number[] = s => s.shape.point): string {
  return EfficiencyGrid.encode(fit(axes, rows.map(s => ({ ...s, shape: { ...s.shape, point: pointOf(s) } }))));
}

/** Rows grouped by a key, keys sorted (deterministic output). */
function groupBy(rows: Sample[], keyOf: (s: Sample) => string | undefined): Array<[string, Sample[]]> {
  const groups = new Map<string, Sample[]>();
  for (const s of rows) {
    const key = keyOf(s);
    if (key === undefined) continue;
    const list = groups.get(key) ?? [];
    list.push(s);
    groups.set(key, list);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * What a MoE shape without its own curve gets: mean absolute percentage error of the generic grid fitted without
 * that shape (leave one model shape out), per held-out shape.
 */
function moeHoldout(system: string, all: Sample[]): void {
  const moe = all.filter(s => s.shape.op === 'moe');
  const shapeOf = (s: Sample) => s.shape.exact!.key.split('/').slice(2, 6).join('/');
  let sum = 0;
  for (const shape of [...new Set(moe.map(shapeOf))].sort()) {
    let err = 0;
    let n = 0;
    for (const [, rows] of groupBy(moe, s => s.shape.group)) {
      const train = rows.filter(s => shapeOf(s) !== shape);
      const grid = EfficiencyGrid.decode(CalibrationAxes.MOE, EfficiencyGrid.encode(fit(CalibrationAxes.MOE, train)));
      for (const s of rows.filter(r => shapeOf(r) === shape)) {
        const floor = Roofline.time(s.shape.sol);
        err += Math.abs(Math.max(floor, floor / grid.efficiency(s.shape.point)) - s.ms) / s.ms;
        n++;
      }
    }
    sum += err;
    process.stderr.write(`${system} MoE generic grid, shape ${shape} held out: ${(100 * err / n).toFixed(1)} % MAPE over ${n} rows\n`);
  }
  process.stderr.write(`${system} MoE generic grid, leave-one-shape-out: ${(100 * sum / moe.length).toFixed(1)} % MAPE\n`);
}

function main(): void {
  const dir = perfTablesDir();
  if (!dir) throw new Error('measured tables not found (../shared/reference/aic/perf)');
  const systems: Record<string, any> = {};
  for (const system of SYSTEMS) {
    const all = samples(dir, system);
    const tables: Record<string, Record<string, string>> = { gemm: {}, context: {}, generation: {}, allreduce: {}, nccl: {}, moe: {} };
    const floors: Record<string, number> = {};
    const groups = groupBy(all, s => `${s.shape.op}/${s.shape.group}`);
    for (const [key, rows] of groups) {
      const op = rows[0].shape.op;
      tables[op][rows[0].shape.group] = fitGroup(CalibrationAxes.forOp(op as KernelShape['op']), rows);
      floors[key] = Number(Math.min(...rows.map(s => s.ms)).toPrecision(3));
    }
    // Measured MoE shapes keep their own token curve (see CalibrationAxes.MOE_TOKENS).
    const moeShapes: Record<string, string> = {};
    for (const [key, rows] of groupBy(all, s => s.shape.exact?.key)) {
      moeShapes[key] = fitGroup(CalibrationAxes.MOE_TOKENS, rows, s => s.shape.exact!.point);
    }
    systems[system] = { ...tables, moeShapes, floors };
    process.stderr.write(`${system}: ${all.length} rows, ${groups.length} groups, ${Object.keys(moeShapes).length} measured MoE shapes\n`);
    if (process.argv.includes('--holdout')) moeHoldout(system, all);
  }
  const body = [
    '// Generated by scripts/calibrate.ts from AIConfigurator\'s measured TRT-LLM kernel tables (H100/H200 SXM). Do not edit.',
    '// Values: log(speed of light / measured latency) on the grids of ./axes.ts, 12 bits per node (see EfficiencyGrid).',
    '',
    '/** Per system: efficiency grids per op and group, and each group\'s fastest measured call (launch floor, ms). @internal */',
    'export interface SystemCalibration {',
    '  readonly gemm: { readonly [group: string]: string };',
    '  readonly context: { readonly [group: string]: string };',
    '  readonly generation: { readonly [group: string]: string };',
    '  readonly allreduce: { readonly [group: string]: string };',
    '  readonly nccl: { readonly [group: string]: string };',
    '  readonly moe: { readonly [group: string]: string };',
    '  /** Measured MoE shapes (`kind/skew/hidden/inter/topK/experts/tp/ep`): log-efficiency over tokens. */',
    '  readonly moeShapes: { readonly [shape: string]: string };',
    '  readonly floors: { readonly [opGroup: string]: number };',
    '}',
    '',
    '/** @internal */',
    `export const CALIBRATION: { readonly systems: { readonly [system: string]: SystemCalibration } } = ${JSON.stringify({ systems }, undefined, 1)};`,
    '',
  ].join('\n');
  const out = path.resolve(__dirname, '..', 'src', 'optimizer', 'kernels', 'calibration', 'data.ts');
  fs.writeFileSync(out, body);
  process.stderr.write(`wrote ${out} (${(body.length / 1024).toFixed(0)} KiB)\n`);
}

if (require.main === module) main();
