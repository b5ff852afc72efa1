import { CalibrationAxes } from './calibration/axes';
import { CALIBRATION } from './calibration/data';
import { EfficiencyGrid } from './calibration/grid';
import { ComputePrecision, GpuPeaks, MoeRouting, Roofline, SpeedOfLight } from './roofline';
import { GpuProfile } from '../../gpu/gpu-profile';

/**
 * GEMM flavours the calibration knows: BF16, FP8 per-tensor (with its activation-quantization kernel),
 * FP8 block-scaled. FP4 GEMMs use the FP8 efficiency at the FP4 peak.
 * @internal
 */
export type GemmKind = 'bf16' | 'fp8' | 'fp8_block' | 'fp4';

/** MoE expert-weight flavours in the calibration. @internal */
export type MoeKind = 'bf16' | 'fp8' | 'fp8_block' | 'mxfp4';

/** Ops with a calibration table. @internal */
export type CalibratedOp = 'gemm' | 'context' | 'generation' | 'allreduce' | 'nccl' | 'moe';

/**
 * One kernel call, reduced to what the calibration needs: which table and group, the point on its grid,
 * and the speed-of-light times on the GPU at hand.
 * @internal
 */
export interface KernelShape {
  readonly op: CalibratedOp;
  readonly group: string;
  readonly point: number[];
  readonly sol: SpeedOfLight;
  /** A measured shape with its own curve (`moeShapes` key and the point on `CalibrationAxes.MOE_TOKENS`), when there is one. */
  readonly exact?: { readonly key: string; readonly point: number[] };
}


/** Kernel models per GPU figures (grids decode once per process). */
const MODELS = new Map<string, KernelModel>();

/** The GPU with tables that GPUs without tables are scaled from. */
const REFERENCE_SYSTEM = 'h100_sxm';

/**
 * Kernel latencies (milliseconds) on one GPU: speed of light divided by a measured efficiency.
 * GPUs with embedded calibration (H100/H200 SXM) use their own efficiencies; any other GPU takes the reference
 * GPU's predicted time, keeps its fixed launch floor and scales the rest by the ratio of the kernel's speed of light
 * on the two GPUs (compute peak, memory bandwidth or link bandwidth, whichever bounds it on each). No prediction is
 * ever below the GPU's roofline, and none is faster for more work along the axes the search varies.
 * @internal
 */
export class KernelModel {
  public static for(gpu: GpuProfile): KernelModel {
    const key = `${gpu.name}|${gpu.memoryBandwidthGBps}|${gpu.bf16Tflops}|${gpu.fp8Tflops}|${gpu.fp4Tflops}|${gpu.intraNodeBandwidthGBps}|${gpu.gpusPerNode}`;
    let model = MODELS.get(key);
    if (!model) {
      model = new KernelModel(gpu);
      MODELS.set(key, model);
    }
    return model;
  }

  /** Whether a GPU has its own embedded calibration. */
  public static isCalibrated(gpu: GpuProfile): boolean {
    return !!gpu.aicSystem && gpu.aicSystem in CALIBRATION.systems;
  }

  // ---- shapes (shared with scripts/calibrate.ts) ----

  public static gemmShape(peaks: GpuPeaks, m: number, n: number, k: number, kind: GemmKind, weightBytes?: number): KernelShape {
    const precision: ComputePrecision = kind === 'bf16' ? 'bf16' : kind === 'fp4' ? 'fp4' : 'fp8';
    const wb = weightBytes ?? (kind === 'bf16' ? 2 : kind === 'fp4' ? 9 / 16 : 1);
    const sol = Roofline.gemm(peaks, precision, m, n, k, wb, kind === 'bf16' ? 2 : 1);
    return { op: 'gemm', group: kind === 'fp4' ? 'fp8' : kind, point: [m, n, k], sol };
  }

  public static contextShape(peaks: GpuPeaks, batch: number, seq: number, heads: number, kvHeads: number, headDim: number,
    window: number, fmha: 'bf16' | 'fp8', kv: 'bf16' | 'fp8'): KernelShape {
    const sol = Roofline.contextAttention(peaks, fmha, batch, seq, heads, kvHeads, headDim, window, kv === 'fp8' ? 1 : 2);
    const group = `${fmha}/${kv}/${KernelModel.attentionGroup(headDim, window)}`;
    return { op: 'context', group, point: [seq, batch * heads, heads / kvHeads], sol };
  }

  public static generationShape(peaks: GpuPeaks, batch: number, kvLen: number, heads: number, kvHeads: number, headDim: number,
    window: number, kv: 'bf16' | 'fp8'): KernelShape {
    const sol = Roofline.generationAttention(peaks, batch, kvLen, heads, kvHeads, headDim, window, kv === 'fp8' ? 1 : 2);
    const group = `${kv}/${KernelModel.attentionGroup(headDim, window)}`;
    return { op: 'generation', group, point: [kvLen, batch * kvHeads, heads / kvHeads], sol };
  }

  public static allReduceShape(peaks: GpuPeaks, elements: number, gpus: number): KernelShape {
    const tableGpus = Math.min(8, gpus);
    return { op: 'allreduce', group: String(tableGpus), point: [elements], sol: Roofline.allReduce(peaks, elements, gpus) };
  }

  public static ncclShape(peaks: GpuPeaks, op: 'all_gather' | 'reduce_scatter' | 'alltoall' | 'all_reduce', bytes: number, gpus: number): KernelShape {
    const tableGpus = Math.min(8, gpus);
    return { op: 'nccl', group: `${op}/${tableGpus}`, point: [bytes / 2], sol: Roofline.collective(peaks, op, bytes, gpus) };
  }

  public static moeShape(peaks: GpuPeaks, tokens: number, hidden: number, inter: number, topK: number, experts: number,
    tensorParallel: number, expertParallel: number, kind: MoeKind, skew: '1.01' | '1.2'): KernelShape {
    const precision: ComputePrecision = kind === 'fp8' || kind === 'fp8_block' ? 'fp8' : 'bf16';
    const wb = kind === 'bf16' ? 2 : kind === 'mxfp4' ? 17 / 32 : 1;
    const sol = Roofline.moe(peaks, precision, tokens, hidden, inter, topK, experts, tensorParallel, expertParallel, wb, Number(skew));
    const rank = MoeRouting.busiestRank(tokens, topK, experts, expertParallel, Number(skew));
    const point = [rank.pairs / rank.hitExperts, inter / tensorParallel, hidden, rank.hitExperts];
    const key = `${kind}/${skew}/${hidden}/${inter}/${topK}/${experts}/${tensorParallel}/${expertParallel}`;
    return { op: 'moe', group: `${kind}/${skew}`, point, sol, exact: { key, point: [tokens] } };
  }

  /** `headDim/window` of the nearest attention table: closest head dimension, then the window it has (else full). */
  private static attentionGroup(headDim: number, window: number): string {
    const nearest = (options: number[], x: number) =>
      options.reduce((best, o) => Math.abs(Math.log(o / x)) < Math.abs(Math.log(best / x)) ? o : best, options[0]);
    const dim = nearest(CalibrationAxes.HEAD_DIMS, headDim);
    const windows = CalibrationAxes.windows(dim);
    return window > 0 && windows.length > 0 ? `${dim}/${nearest(windows, window)}` : `${dim}/0`;
  }

  public readonly peaks: GpuPeaks;
  private readonly system: string;
  private readonly calibrated: boolean;
  private readonly reference?: GpuPeaks;
  private readonly grids = new Map<string, EfficiencyGrid>();
  private readonly envelopes = new Map<string, number[]>();

  private constructor(gpu: GpuProfile) {
    this.peaks = GpuPeaks.of(gpu);
    this.calibrated = KernelModel.isCalibrated(gpu);
    this.system = this.calibrated ? gpu.aicSystem! : REFERENCE_SYSTEM;
    if (!this.calibrated) this.reference = GpuPeaks.of(GpuProfile.of(REFERENCE_SYSTEM));
  }

  /** Predicted latency of a kernel shape built for this GPU's peaks, in ms. */
  public latency(shape: KernelShape, referenceShape?: KernelShape): number {
    const floor = Roofline.time(shape.sol);
    if (this.calibrated) return Math.max(floor, floor / this.efficiency(shape));
    const ref = referenceShape!;
    const refTime = Roofline.time(ref.sol) / this.efficiency(ref);
    const launch = Math.min(refTime, CALIBRATION.systems[REFERENCE_SYSTEM].floors[`${ref.op}/${ref.group}`] ?? 0);
    // The kernel keeps the reference GPU's efficiency against its speed of light, whichever roofline bounds it on
    // each GPU: continuous in the shape (no jump where the bound changes), and better than scaling by the
    // reference's bound when H200 is predicted from H100 this way (bf16 GEMM 8.0 % vs 8.3 % MAPE, context 12.0 vs 12.4 %).
    const ratio = Roofline.time(ref.sol) / Math.max(Roofline.time(shape.sol), 1e-12);
    const scaled = launch + (refTime - launch) / ratio;
    return Math.max(floor, scaled);
  }

  public gemm(m: number, n: number, k: number, kind: GemmKind, weightBytes?: number): number {
    return this.monotone(`g|${n}|${k}|${kind}|${weightBytes}`, m, CalibrationAxes.GEMM[0],
      x => this.predict(p => KernelModel.gemmShape(p, x, n, k, kind, weightBytes)));
  }

  public contextAttention(batch: number, seq: number, heads: number, kvHeads: number, headDim: number, window: number,
    fmha: 'bf16' | 'fp8', kv: 'bf16' | 'fp8'): number {
    return this.monotone(`c|${batch}|${heads}|${kvHeads}|${headDim}|${window}|${fmha}|${kv}`, seq, CalibrationAxes.CONTEXT_ATTENTION[0],
      x => this.predict(p => KernelModel.contextShape(p, batch, x, heads, kvHeads, headDim, window, fmha, kv)));
  }

  public generationAttention(batch: number, kvLen: number, heads: number, kvHeads: number, headDim: number, window: number,
    kv: 'bf16' | 'fp8'): number {
    return this.monotone(`d|${kvLen}|${heads}|${kvHeads}|${headDim}|${window}|${kv}`, batch, CalibrationAxes.GENERATION_ATTENTION[1].map(n => n / kvHeads),
      x => this.predict(p => KernelModel.generationShape(p, x, kvLen, heads, kvHeads, headDim, window, kv)));
  }

  /** Tensor-parallel all-reduce; beyond one node, AIConfigurator's scaling by the slower link. */
  public allReduce(elements: number, gpus: number): number {
    if (gpus <= 1) return 0;
    return this.monotone(`a|${gpus}`, elements, CalibrationAxes.COLLECTIVE[0], x => this.predict(p => KernelModel.allReduceShape(p, x, gpus)));
  }

  public collective(op: 'all_gather' | 'reduce_scatter' | 'alltoall' | 'all_reduce', bytes: number, gpus: number): number {
    if (gpus <= 1) return 0;
    return this.predict(p => KernelModel.ncclShape(p, op, bytes, gpus));
  }

  public moe(tokens: number, hidden: number, inter: number, topK: number, experts: number, tensorParallel: number,
    expertParallel: number, kind: MoeKind, skew: '1.01' | '1.2'): number {
    return this.monotone(`m|${hidden}|${inter}|${topK}|${experts}|${tensorParallel}|${expertParallel}|${kind}|${skew}`, tokens,
      CalibrationAxes.MOE_TOKENS[0],
      x => this.predict(p => KernelModel.moeShape(p, x, hidden, inter, topK, experts, tensorParallel, expertParallel, kind, skew)));
  }

  /** Memory-bound element-wise work: AIConfigurator's empirical 80 % of bandwidth plus 3 µs. */
  public memoryOp(bytes: number): number {
    return Roofline.memory(this.peaks, bytes).memoryMs / 0.8 + 0.003;
  }

  /**
   * `at(x)`, but never more than `at` of a larger node of the work axis `nodes`: a kernel on less work can be run as
   * the larger one (padded), so it is never slower. The measured tables hold a few such inversions (a poor tactic at
   * some sizes, e.g. H100 bf16 MoE at 192-384 tokens), which would otherwise make more work look cheaper.
   */
  private monotone(family: string, x: number, nodes: number[], at: (x: number) => number): number {
    // Per kernel family (every argument but the work axis): the fastest prediction at each node and beyond.
    let suffixMin = this.envelopes.get(family);
    if (!suffixMin) {
      suffixMin = nodes.map(at);
      for (let i = suffixMin.length - 2; i >= 0; i--) suffixMin[i] = Math.min(suffixMin[i], suffixMin[i + 1]);
      this.envelopes.set(family, suffixMin);
    }
    const next = nodes.findIndex(node => node > x);
    const t = at(x);
    return next < 0 ? t : Math.min(t, suffixMin[next]);
  }

  private predict(shapeOf: (peaks: GpuPeaks) => KernelShape): number {
    return this.latency(shapeOf(this.peaks), this.reference ? shapeOf(this.reference) : undefined);
  }

  private efficiency(shape: KernelShape): number {
    const measured = shape.exact && CALIBRATION.systems[this.system].moeShapes[shape.exact.key];
    if (shape.exact && measured) return this.grid(`moe!${shape.exact.key}`, CalibrationAxes.MOE_TOKENS, measured).efficiency(shape.exact.point);
    const encoded = CALIBRATION.systems[this.system][shape.op][shape.group];
    if (encoded === undefined) throw new Error(`internal: no calibration for ${this.system} ${shape.op}/${shape.group}`);
    return this.grid(`${shape.op}/${shape.group}`, CalibrationAxes.forOp(shape.op), encoded).efficiency(shape.point);
  }

  private grid(key: string, axes: number[][], encoded: string): EfficiencyGrid {
    let grid = this.grids.get(key);
    if (!grid) {
      grid = EfficiencyGrid.decode(axes, encoded);
      this.grids.set(key, grid);
    }
    return grid;
  }
}
