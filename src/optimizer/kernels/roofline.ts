import { GpuProfile } from '../../gpu/gpu-profile';

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
   * A fused MoE layer on the busiest GPU: `tokens` tokens each routed to `topK` of `experts` experts, experts split
   * `expertParallel` ways and each expert's intermediate dimension `tensorParallel` ways. Routing is skewed (see
   * `MoeRouting`): the GPU holding the most-loaded expert sets the pace, and it reads the weights of the experts its
   * tokens actually hit.
   */
  public static moe(peaks: GpuPeaks, precision: ComputePrecision, tokens: number, hidden: number, inter: number,
    topK: number, experts: number, tensorParallel: number, expertParallel: number, weightBytes: number, skew: number): SpeedOfLight {
    const localInter = inter / tensorParallel;
    const rank = MoeRouting.busiestRank(tokens, topK, experts, expertParallel, skew);
    const flops = 2 * rank.pairs * 3 * hidden * localInter;
    const bytes = rank.hitExperts * 3 * hidden * localInter * weightBytes + 2 * 2 * tokens * hidden;
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

/**
 * MoE work on one GPU: routed (token, expert) pairs and distinct experts hit.
 * @internal
 */
export interface RankLoad {
  readonly pairs: number;
  readonly hitExperts: number;
}

/**
 * Expert load under skewed routing, as AIConfigurator measures and models MoE layers: per-expert token counts follow
 * a bounded power law (exponent 1.2 for Qwen3-MoE/Mixtral/gpt-oss-style routers, 1.01 for DeepSeek's), scaled to
 * `tokens x topK` routed pairs, no expert taking a token twice. Real routers are imbalanced too; with experts split
 * over GPUs the rank holding the most-loaded expert is the one everybody waits for. Deterministic: the expected
 * quantiles of the distribution stand in for a random draw.
 * @internal
 */
export class MoeRouting {
  /**
   * Routed (token, expert) pairs and distinct experts hit on the busiest of `expertParallel` ranks: the most-loaded
   * expert plus average ones for the rest of its rank.
   */
  public static busiestRank(tokens: number, topK: number, experts: number, expertParallel: number, skew: number): RankLoad {
    const key = `${tokens}|${topK}|${experts}|${expertParallel}|${skew}`;
    let rank = MoeRouting.cache.get(key);
    if (!rank) {
      if (MoeRouting.cache.size > 50_000) MoeRouting.cache.clear();
      rank = MoeRouting.compute(tokens, topK, experts, expertParallel, skew);
      MoeRouting.cache.set(key, rank);
    }
    return rank;
  }

  private static readonly cache = new Map<string, RankLoad>();

  private static compute(tokens: number, topK: number, experts: number, expertParallel: number, skew: number): RankLoad {
    const loads = MoeRouting.loads(Math.max(1, tokens), topK, experts, skew);
    // A load under half a token rounds to an expert that receives nothing.
    const hit = (l: number) => (l >= 0.5 ? 1 : 0);
    if (expertParallel <= 1) {
      return { pairs: loads.reduce((a, b) => a + b, 0), hitExperts: Math.max(1, loads.reduce((a, l) => a + hit(l), 0)) };
    }
    const perRank = Math.max(1, Math.round(experts / expertParallel));
    const rest = loads.slice(1);
    const restLoad = rest.reduce((a, b) => a + b, 0) / Math.max(1, rest.length);
    const restHit = rest.reduce((a, l) => a + hit(l), 0) / Math.max(1, rest.length);
    return {
      pairs: loads[0] + (perRank - 1) * restLoad,
      hitExperts: Math.max(1, hit(loads[0]) + (perRank - 1) * restHit),
    };
  }

  /** Expected per-expert loads, largest first: power-law quantiles scaled to tokens x topK, each at most `tokens`. */
  private static loads(tokens: number, topK: number, experts: number, skew: number): number[] {
    // AIConfigurator's ranges: loads between 1 and 0.8 x tokens when there are more pairs than experts, else a
    // narrow range (most experts get at most one token).
    const [lo, hi] = tokens * topK > experts ? [1, Math.max(1.01, 0.8 * tokens)] : [0.01, 2];
    const a = 1 - skew;
    const x: number[] = [];
    for (let i = experts - 1; i >= 0; i--) {
      const u = (i + 0.5) / experts;
      x.push(Math.pow((Math.pow(hi, a) - Math.pow(lo, a)) * u + Math.pow(lo, a), 1 / a));
    }
    const target = Math.min(tokens * topK, tokens * experts);
    const total = (f: number) => x.reduce((s, v) => s + Math.min(tokens, v * f), 0);
    // Scale so that the capped loads add up to the routed pairs (bisection: the cap makes it piecewise linear).
    let low = 0;
    let high = target / x.reduce((s, v) => s + v, 0);
    while (total(high) < target * (1 - 1e-12)) high *= 2;
    for (let it = 0; it < 50; it++) {
      const mid = (low + high) / 2;
      if (total(mid) < target) low = mid; else high = mid;
    }
    return x.map(v => Math.min(tokens, v * high));
  }
}
