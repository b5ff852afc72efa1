import { Backend } from '../../engines/backend';
import { EngineMemory } from '../../engines/engine-memory';
import { GpuProfile } from '../../gpu/gpu-profile';
import { ModelArchitecture } from '../../model/model-architecture';
import { KvCacheDtype, Quantization } from '../../model/precision';
import { GemmKind, KernelModel, MoeKind } from '../kernels/kernel-model';

const GIB = 1024 ** 3;

/**
 * One engine's parallel layout and precisions.
 * @internal
 */
export interface EngineLayout {
  readonly backend: Backend;
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  /** Expert-parallel ranks among the tensor-parallel GPUs (1 = experts tensor-sharded). */
  readonly expertParallel: number;
  readonly quantization: Quantization;
  readonly kvCacheDtype: KvCacheDtype;
}

/**
 * Per-GPU memory of one engine and what its KV-cache budget admits.
 * @internal
 */
export interface EngineMemoryUse {
  readonly weightBytes: number;
  readonly reserveBytes: number;
  readonly kvBudgetBytes: number;
  readonly kvBytesPerSequence: number;
  /** Sequences of the given length whose KV cache fits the engine's budget. */
  readonly maxSequences: number;
}

/**
 * Steady state of an aggregated (in-flight batching, chunked prefill) engine with `batch` running requests.
 * @internal
 */
export interface AggregatedCycle {
  /** One mixed iteration: a prefill chunk plus the other requests' decode steps, ms. */
  readonly mixedMs: number;
  /** One decode-only iteration, ms. */
  readonly decodeMs: number;
  /** Time for the batch to turn over once (every request prefilled and decoded), ms. */
  readonly cycleMs: number;
  /** Mean time between output tokens, chunked-prefill interference included, ms. */
  readonly itlMs: number;
  /** Time to first token on an idle engine: half an iteration to align, then the prompt's chunks, ms. */
  readonly firstTokenMs: number;
  /** Prefill work per request (the prompt's share of mixed iterations): the service time arrivals queue for, ms. */
  readonly prefillLaneMs: number;
  /** Requests per second one engine completes at this batch. */
  readonly capacity: number;
}

/** Per-iteration framework time (scheduler, sampling, Python) per backend, ms: not in kernel tables. */
const ITERATION_OVERHEAD_MS: Record<Backend, number> = {
  [Backend.TRTLLM]: 0.3,
  [Backend.SGLANG]: 0.6,
  [Backend.VLLM]: 0.8,
};

/**
 * Latency of one engine iteration, built from kernel costs per layer (AIConfigurator's decomposition):
 * QKV/O projections, attention, tensor-parallel all-reduces, MLP or MoE experts, norms, embedding and LM head.
 * Pipeline stages run one after another for a given batch (latency sums over all layers).
 * @internal
 */
export class ForwardPass {
  private readonly kernels: KernelModel;
  private readonly gemmKind: GemmKind;
  private readonly mlpWeightBytes?: number;
  private readonly moeKind: MoeKind;
  private readonly kv: 'bf16' | 'fp8';
  private readonly fmha: 'bf16' | 'fp8';
  private readonly memo: Map<string, number>;
  private readonly memoryMemo = new Map<string, EngineMemoryUse>();
  private readonly longestMemo = new Map<string, number>();
  private readonly kernelKey: string;

  /**
   * @param sharedMemo kernel times shared between passes that differ only in framework overhead (other backends)
   */
  constructor(public readonly model: ModelArchitecture, public readonly gpu: GpuProfile, public readonly layout: EngineLayout,
    sharedMemo?: Map<string, number>) {
    this.memo = sharedMemo ?? new Map();
    this.kernels = KernelModel.for(gpu);
    const q = layout.quantization;
    this.gemmKind = q === Quantization.BF16 || q === Quantization.MXFP4 ? 'bf16'
      : q === Quantization.FP8 ? 'fp8' : q === Quantization.FP8_BLOCK ? 'fp8_block' : gpu.fp4Tflops ? 'fp4' : 'fp8';
    // MXFP4 (gpt-oss style) quantizes the MLP/expert weights only: bf16 compute, 4-bit weight reads.
    this.mlpWeightBytes = q === Quantization.MXFP4 ? 17 / 32 : undefined;
    this.moeKind = q === Quantization.MXFP4 ? 'mxfp4' : q === Quantization.FP8_BLOCK ? 'fp8_block'
      : q === Quantization.BF16 ? 'bf16' : 'fp8';
    this.kv = layout.kvCacheDtype === KvCacheDtype.FP8 ? 'fp8' : 'bf16';
    this.fmha = this.kv === 'fp8' && layout.backend === Backend.TRTLLM ? 'fp8' : 'bf16';
    this.kernelKey = `${layout.tensorParallel}|${layout.pipelineParallel}|${layout.expertParallel}|${q}|${this.kv}|${this.fmha}`;
  }

  /** Framework time added to every iteration. */
  public get iterationOverheadMs(): number {
    return ITERATION_OVERHEAD_MS[this.layout.backend];
  }

  /**
   * One iteration, ms: `prefillSequences` sequences contributing `prefillTokens` new tokens in total plus
   * `decodeSequences` decode tokens attending to `decodeContext` cached tokens. A prefill chunk shorter than its prompt
   * (`promptLength` tokens, chunked prefill) pays its share of the whole prompt's causal attention: later chunks attend
   * to every earlier token, so the chunks of one prompt add up to the attention of the unchunked prompt.
   */
  public iterationMs(prefillTokens: number, prefillSequences: number, decodeSequences: number, decodeContext: number,
    promptLength?: number): number {
    const perSequence = prefillSequences > 0 ? prefillTokens / prefillSequences : 0;
    const prompt = Math.max(perSequence, promptLength ?? perSequence);
    const key = `${this.kernelKey}|${prefillTokens}|${prefillSequences}|${decodeSequences}|${decodeContext}|${prompt}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit + this.iterationOverheadMs;
    const m = this.model;
    const tokens = prefillTokens + decodeSequences;
    const tp = this.layout.tensorParallel;
    const k = this.kernels;
    let perLayer = this.projectionsMs(prefillTokens, decodeSequences);
    const fullLayers = m.numLayers - m.slidingWindowLayers;
    let attention = 0;
    for (const [layers, window] of [[fullLayers, 0], [m.slidingWindowLayers, m.slidingWindow]] as const) {
      if (layers === 0) continue;
      let t = 0;
      if (prefillSequences > 0) t += this.contextAttentionMs(prefillSequences, prompt, window) * perSequence / prompt;
      if (decodeSequences > 0) t += this.generationAttentionMs(decodeSequences, decodeContext, window);
      attention += layers * t;
    }
    // Two all-reduces per layer (after attention and after the MLP/MoE), on tokens x hidden.
    perLayer += 2 * k.allReduce(tokens * m.hiddenSize, tp);
    // Residual add + RMSNorm before attention and before the MLP: one kernel each.
    perLayer += 2 * k.memoryOp(tokens * m.hiddenSize * 2 * 3);
    const denseLayers = m.numLayers - m.moeLayers;
    let total = m.numLayers * perLayer + attention + denseLayers * this.denseMlpMs(tokens) + m.moeLayers * this.moeMs(tokens);
    // Embedding lookup (vocabulary-parallel: an all-reduce joins the shards), then the LM head on the tokens that
    // sample (last prefill token of each sequence + decode tokens).
    total += k.memoryOp(tokens * m.hiddenSize * 2) + k.allReduce(tokens * m.hiddenSize, tp);
    total += k.gemm(prefillSequences + decodeSequences, Math.ceil(m.vocabSize / tp), m.hiddenSize, 'bf16');
    const pp = this.layout.pipelineParallel;
    if (pp > 1) {
      const hop = tokens * m.hiddenSize * 2 / (this.gpu.interNodeBandwidthGBps * 1e9) * 1e3 + 0.01;
      total += (pp - 1) * hop;
    }
    this.memo.set(key, total);
    return total + this.iterationOverheadMs;
  }

  /**
   * Aggregated serving at `batch` concurrent requests of `isl` prompt and `osl` output tokens, `tokenBudget` tokens per
   * iteration: per cycle of OSL-1 decode iterations the batch's prompts need `batch x ISL / chunk` mixed iterations, the
   * rest are decode-only (AIConfigurator's in-flight batching model); decodes run at the mid-generation context.
   */
  public aggregated(batch: number, isl: number, osl: number, tokenBudget: number): AggregatedCycle {
    const steps = Math.max(1, osl - 1);
    const kvMid = isl + osl / 2;
    const promptsPerChunk = Math.max(1, Math.min(batch, Math.ceil(tokenBudget / isl)));
    const prefillTokens = Math.min(tokenBudget, isl * promptsPerChunk);
    const mixedMs = this.iterationMs(prefillTokens, promptsPerChunk, Math.max(0, batch - promptsPerChunk), kvMid, isl);
    const decodeMs = this.iterationMs(0, 0, batch, kvMid);
    const mixed = batch * isl / prefillTokens;
    const cycleMs = mixed <= steps ? mixed * mixedMs + (steps - mixed) * decodeMs : mixed * mixedMs;
    return {
      mixedMs,
      decodeMs,
      cycleMs,
      itlMs: cycleMs / Math.max(steps, mixed),
      firstTokenMs: decodeMs / 2 + Math.ceil(isl / prefillTokens) * mixedMs,
      prefillLaneMs: (isl / prefillTokens) * mixedMs,
      capacity: batch * 1000 / cycleMs,
    };
  }

  /** Memory per GPU for sequences of `sequenceLength` tokens and an iteration of up to `maxBatchedTokens`. */
  public memory(sequenceLength: number, maxBatchedTokens: number): EngineMemoryUse {
    const key = `${sequenceLength}|${maxBatchedTokens}`;
    let use = this.memoryMemo.get(key);
    if (!use) {
      use = this.computeMemory(sequenceLength, maxBatchedTokens);
      this.memoryMemo.set(key, use);
    }
    return use;
  }

  /**
   * Longest single sequence (tokens, at most `cap`) whose KV cache fits the engine's budget with an iteration of up
   * to `maxBatchedTokens`.
   */
  public longestSequence(maxBatchedTokens: number, cap: number): number {
    const key = `${maxBatchedTokens}|${cap}`;
    let longest = this.longestMemo.get(key);
    if (longest === undefined) {
      const budget = this.memory(1, maxBatchedTokens).kvBudgetBytes;
      // KV bytes grow with the length (sliding-window layers stop growing at the window): bisect.
      let lo = 0;
      let hi = cap;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (this.kvBytesPerSequencePerGpu(mid) <= budget) lo = mid;
        else hi = mid - 1;
      }
      longest = lo;
      this.longestMemo.set(key, longest);
    }
    return longest;
  }

  private computeMemory(sequenceLength: number, maxBatchedTokens: number): EngineMemoryUse {
    const { tensorParallel: tp, pipelineParallel: pp, backend } = this.layout;
    const m = this.model;
    const weightBytes = m.weightBytes(this.layout.quantization) / (tp * pp);
    // Activations over the largest iteration (AIConfigurator's per-TP coefficients; SGLang keeps 15 % more), CUDA
    // context, graphs and workspaces (3.5 GiB; SGLang 20 % more) and NCCL buffers between the GPUs of the engine.
    const sglang = backend === Backend.SGLANG;
    const coef = (tp >= 4 ? 5 : tp === 2 ? 6.5 : 11) * (m.isMoe ? 2 : 1) * (sglang ? 1.15 : 1);
    const activations = Math.max(2 * maxBatchedTokens * m.numAttentionHeads * m.headDim * coef, (sglang ? 90 : 70) * 1024 ** 2);
    const peers = tp * pp;
    const nccl = peers <= 1 ? 0 : (peers === 2 ? 342 : 392) * 1024 ** 2;
    const reserveBytes = activations + 3.5 * GIB * (sglang ? 1.2 : 1) + nccl;
    const total = this.gpu.memoryGiB * GIB;
    // Each engine's own rule, but never more than is physically left: SGLang's fraction of total memory leaves the
    // activations only the rest, which a large token budget can exceed.
    const kvBudgetBytes = Math.min(EngineMemory.kvCacheBudgetBytes({
      backend,
      gpuMemoryBytes: total,
      weightBytesPerGpu: weightBytes,
      tensorParallel: tp,
      runtimeReserveBytes: reserveBytes,
    }), Math.max(0, Math.floor(total - weightBytes - reserveBytes)));
    const kvBytesPerSequence = this.kvBytesPerSequencePerGpu(sequenceLength);
    return { weightBytes, reserveBytes, kvBudgetBytes, kvBytesPerSequence, maxSequences: Math.floor(kvBudgetBytes / kvBytesPerSequence) };
  }

  /** KV bytes one sequence holds on one GPU: GQA heads shard over TP (replicated below one head per GPU), MLA latents do not. */
  public kvBytesPerSequencePerGpu(sequenceLength: number): number {
    const m = this.model;
    const total = m.kvCacheBytesPerSequence(sequenceLength, this.layout.kvCacheDtype);
    const shard = m.isMla ? 1 : Math.ceil(m.numKeyValueHeads / this.layout.tensorParallel) / m.numKeyValueHeads;
    return total * shard / this.layout.pipelineParallel;
  }

  /** Attention projections of one layer for prefill and decode tokens (with the small kernels MLA adds). */
  private projectionsMs(prefillTokens: number, decodeTokens: number): number {
    const m = this.model;
    const tp = this.layout.tensorParallel;
    const k = this.kernels;
    const h = m.hiddenSize;
    const heads = m.numAttentionHeads / tp;
    const tokens = prefillTokens + decodeTokens;
    if (m.isMla) {
      const kind = this.gemmKind;
      let t = m.qLoraRank
        ? k.gemm(tokens, m.qLoraRank, h, kind) + k.gemm(tokens, heads * m.headDim, m.qLoraRank, kind) + k.memoryOp(tokens * m.qLoraRank * 2 * 2)
        : k.gemm(tokens, heads * m.headDim, h, kind);
      // Compressed KV (+ shared rotary key), its norm, and the rotary embedding of queries and keys.
      t += k.gemm(tokens, m.kvLoraRank + m.qkRopeHeadDim, h, kind) + k.memoryOp(tokens * m.kvLoraRank * 2 * 2)
        + k.memoryOp(tokens * (heads + 1) * m.qkRopeHeadDim * 2 * 2);
      // Prefill expands the latent into per-head keys and values; decode absorbs that projection into two batched
      // products per head instead (query into the latent space, attention output back out): same weights, two kernels.
      if (prefillTokens > 0) t += k.gemm(prefillTokens, heads * (m.qkNopeHeadDim + m.vHeadDim), m.kvLoraRank, kind);
      if (decodeTokens > 0) {
        t += k.gemm(decodeTokens, heads * m.kvLoraRank, m.qkNopeHeadDim, 'bf16') + k.gemm(decodeTokens, heads * m.vHeadDim, m.kvLoraRank, 'bf16');
      }
      return t + k.gemm(tokens, h, heads * m.vHeadDim, kind);
    }
    const kvHeads = Math.ceil(m.numKeyValueHeads / tp);
    return k.gemm(tokens, (heads + 2 * kvHeads) * m.headDim, h, this.gemmKind) + k.gemm(tokens, h, heads * m.headDim, this.gemmKind);
  }

  private contextAttentionMs(sequences: number, seq: number, window: number): number {
    const m = this.model;
    const tp = this.layout.tensorParallel;
    const heads = m.numAttentionHeads / tp;
    const kvHeads = m.isMla ? heads : Math.ceil(m.numKeyValueHeads / tp);
    return this.kernels.contextAttention(sequences, Math.max(1, Math.round(seq)), heads, kvHeads, m.headDim, window, this.fmha, this.kv);
  }

  private generationAttentionMs(sequences: number, context: number, window: number): number {
    const m = this.model;
    const tp = this.layout.tensorParallel;
    const heads = m.numAttentionHeads / tp;
    // MLA decodes as multi-query attention over the shared latent (one KV "head" of kv_lora_rank + rope dims).
    if (m.isMla) return this.kernels.generationAttention(sequences, context, heads, 1, m.kvLoraRank + m.qkRopeHeadDim, window, this.kv) / 2;
    return this.kernels.generationAttention(sequences, context, heads, Math.ceil(m.numKeyValueHeads / tp), m.headDim, window, this.kv);
  }

  private denseMlpMs(tokens: number): number {
    const m = this.model;
    const inter = m.intermediateSize / this.layout.tensorParallel;
    return this.kernels.gemm(tokens, 2 * inter, m.hiddenSize, this.gemmKind, this.mlpWeightBytes)
      + this.kernels.gemm(tokens, m.hiddenSize, inter, this.gemmKind, this.mlpWeightBytes)
      + this.kernels.memoryOp(tokens * inter * 2 * 3);
  }

  private moeMs(tokens: number): number {
    const m = this.model;
    const { tensorParallel: tp, expertParallel: ep } = this.layout;
    const k = this.kernels;
    // Router GEMM and its top-k selection, then the fused experts.
    let t = k.gemm(tokens, m.numExperts, m.hiddenSize, 'bf16') + k.memoryOp(tokens * m.numExperts * 4);
    t += k.moe(tokens, m.hiddenSize, m.moeIntermediateSize, m.expertsPerToken, m.numExperts, tp / ep, ep, this.moeKind, m.isMla ? '1.01' : '1.2');
    if (m.numSharedExperts > 0) {
      const inter = m.numSharedExperts * m.moeIntermediateSize / tp;
      t += k.gemm(tokens, 2 * inter, m.hiddenSize, this.gemmKind) + k.gemm(tokens, m.hiddenSize, inter, this.gemmKind)
        + k.memoryOp(tokens * inter * 2 * 3);
    }
    return t;
  }
}
