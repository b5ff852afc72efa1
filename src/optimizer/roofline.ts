import { GpuProfile } from '../gpu/gpu-profile';

/**
 * Arithmetic precision of a kernel: which tensor-core peak applies.
 * @internal
 */
export type ComputePrecision = 'bf16' | 'fp8' | 'fp4';

/**
 * Speed-of-light times of one kernel on one GPU, in milliseconds: the compute roofline and the memory roofline.
 * A kernel can never beat `Math.max(computeMs, memoryMs)`; the calibration measures how far real kernels stay from it.
 * @internal
 */
export interface SpeedOfLight {
  readonly computeMs: number;
  readonly memoryMs: number;
}

/**
 * The peak figures of a GPU that rooflines use. GPUs without FP8 (or FP4) tensor cores run those GEMMs on the
 * next precision they have (weight-only quantization), so their peak falls back.
 * @internal
 */
export class GpuPeaks {
  public static of(gpu: GpuProfile): GpuPeaks {
    return new GpuPeaks(gpu.bf16Tflops * 1e12, (gpu.fp8Tflops ?? gpu.bf16Tflops) * 1e12,
      (gpu.fp4Tflops ?? gpu.fp8Tflops ?? gpu.bf16Tflops) * 1e12, gpu.memoryBandwidthGBps * 1e9,
      gpu.intraNodeBandwidthGBps * 1e9, gpu.interNodeBandwidthGBps * 1e9, gpu.gpusPerNode);
  }

  private constructor(
    public readonly bf16Flops: number,
    public readonly fp8Flops: number,
    public readonly fp4Flops: number,
    public readonly memoryBytesPerS: number,
    public readonly intraNodeBytesPerS: number,
    public readonly interNodeBytesPerS: number,
    public readonly gpusPerNode: number,
  ) {}

  public flops(precision: ComputePrecision): number {
    return precision === 'bf16' ? this.bf16Flops : precision === 'fp8' ? this.fp8Flops : this.fp4Flops;
  }

  /** Per-direction link bandwidth between `gpus` GPUs: NVLink/PCIe inside a node, the network beyond. */
  public linkBytesPerS(gpus: number): number {
    return gpus <= this.gpusPerNode ? this.intraNodeBytesPerS : this.interNodeBytesPerS;
  }
}

/**
 * Speed-of-light formulas per operation (the same ones AIConfigurator uses, restated), shared by the
 * calibration script and the runtime model so that the fitted efficiencies mean the same thing in both.
 * @internal
 */
export class Roofline {
  /** Y[m,n] = X[m,k] W[k,n]: 2mnk FLOPs; reads X and W, writes Y (bf16). */
  public static gemm(peaks: GpuPeaks, precision: ComputePrecision, m: number, n: number, k: number,
    weightBytes: number, activationBytes: number): SpeedOfLight {
    return {
      computeMs: 2 * m * n * k / peaks.flops(precision) * 1e3,
      memoryMs: (activationBytes * m * k + weightBytes * n * k + 2 * m * n) / peaks.memoryBytesPerS * 1e3,
    };
  }

  /**
   * Prefill (context) attention of `batch` sequences of `seq` tokens, causal, per-GPU heads.
   * A sliding window caps the keys each query sees.
   */
  public static contextAttention(peaks: GpuPeaks, precision: ComputePrecision, batch: number, seq: number, heads: number,
    kvHeads: number, headDim: number, window: number, kvBytes: number): SpeedOfLight {
    const flops = window > 0 && seq > window
      ? 2 * batch * seq * window * heads * headDim * 2
      : 2 * batch * seq * seq * heads * headDim * 2 / 2;
    const bytes = 2 * batch * (2 * heads * seq * headDim) + kvBytes * batch * 2 * kvHeads * seq * headDim;
    return { computeMs: flops / peaks.flops(precision) * 1e3, memoryMs: bytes / peaks.memoryBytesPerS * 1e3 };
  }

  /** One decode step of attention: `batch` queries, each reading `kvLen` cached tokens (capped by a sliding window). */
  public static generationAttention(peaks: GpuPeaks, batch: number, kvLen: number, heads: number, kvHeads: number,
    headDim: number, window: number, kvBytes: number): SpeedOfLight {
    const len = window > 0 ? Math.min(kvLen, window) : kvLen;
    const flops = 2 * batch * heads * headDim * 2 * len;
    const bytes = batch * (2 * heads * headDim + 2 * kvHeads * len * headDim * kvBytes + 2 * heads * headDim);
    return { computeMs: flops / peaks.bf16Flops * 1e3, memoryMs: bytes / peaks.memoryBytesPerS * 1e3 };
  }

  /** Ring all-reduce of `elements` bf16 values over `gpus` GPUs. */
  public static allReduce(peaks: GpuPeaks, elements: number, gpus: number): SpeedOfLight {
    const bytes = 2 * elements;
    return { computeMs: 0, memoryMs: 2 * bytes * (gpus - 1) / gpus / peaks.linkBytesPerS(gpus) * 1e3 };
  }

  /** A NCCL collective (all_gather, reduce_scatter, alltoall: one pass; all_reduce: two) of `bytes` over `gpus` GPUs. */
  public static collective(peaks: GpuPeaks, op: string, bytes: number, gpus: number): SpeedOfLight {
    const passes = op === 'all_reduce' ? 2 : 1;
    return { computeMs: 0, memoryMs: passes * bytes * (gpus - 1) / gpus / peaks.linkBytesPerS(gpus) * 1e3 };
  }

  /**
   * A fused MoE layer on one GPU: `tokens` tokens each routed to `topK` of `experts` experts, experts split
   * `expertParallel` ways and each expert's intermediate dimension `tensorParallel` ways. Reads the weights of the
   * experts the tokens hit (expected distinct experts under uniform routing).
   */
  public static moe(peaks: GpuPeaks, precision: ComputePrecision, tokens: number, hidden: number, inter: number,
    topK: number, experts: number, tensorParallel: number, expertParallel: number, weightBytes: number): SpeedOfLight {
    const localInter = inter / tensorParallel;
    const localExperts = experts / expertParallel;
    const pairs = tokens * topK;
    const hitExperts = localExperts * (1 - Math.pow(1 - 1 / experts, pairs));
    const flops = 2 * pairs / expertParallel * 3 * hidden * localInter;
    const bytes = hitExperts * 3 * hidden * localInter * weightBytes + 2 * 2 * tokens * hidden;
    return { computeMs: flops / peaks.flops(precision) * 1e3, memoryMs: bytes / peaks.memoryBytesPerS * 1e3 };
  }

  /** Element-wise work (norms, activations, residuals, embedding lookup): bytes moved. */
  public static memory(peaks: GpuPeaks, bytes: number): SpeedOfLight {
    return { computeMs: 0, memoryMs: bytes / peaks.memoryBytesPerS * 1e3 };
  }

  /** The speed-of-light time: the slower of the two rooflines. */
  public static time(sol: SpeedOfLight): number {
    return Math.max(sol.computeMs, sol.memoryMs);
  }
}
