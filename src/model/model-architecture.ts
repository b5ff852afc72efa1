import * as fs from 'fs';
import * as path from 'path';
import { CatalogEntry, MODEL_CATALOG } from './model-catalog';
import { KvCacheDtype, Quantization } from './precision';
import { VisionEncoder, VisionEncoderProps } from './vision-encoder';
import { PropError } from '../common/errors';

/**
 * Architecture figures of a decoder-only transformer, as in its Hugging Face `config.json`.
 */
export interface ModelArchitectureProps {
  /** Model name, usually the Hugging Face id (`Qwen/Qwen3-8B`). */
  readonly name: string;
  /** Number of transformer layers (`num_hidden_layers`). */
  readonly numLayers: number;
  /** Hidden (model) dimension (`hidden_size`). */
  readonly hiddenSize: number;
  /** Number of query heads (`num_attention_heads`). */
  readonly numAttentionHeads: number;
  /** Number of key/value heads (`num_key_value_heads`); equal to the query heads for MHA and MLA. */
  readonly numKeyValueHeads: number;
  /**
   * Dimension of one attention head (`head_dim`).
   * @default - hiddenSize / numAttentionHeads
   */
  readonly headDim?: number;
  /** Intermediate size of the dense MLP (`intermediate_size`); for MoE models, of the dense layers if any. */
  readonly intermediateSize: number;
  /** Vocabulary size (`vocab_size`). */
  readonly vocabSize: number;
  /**
   * Tie the LM head to the input embedding (`tie_word_embeddings`), so it holds no parameters of its own.
   * @default false
   */
  readonly tieWordEmbeddings?: boolean;
  /**
   * Routed experts per MoE layer (`num_local_experts`, `n_routed_experts`, `num_experts`).
   * @default - dense model (no experts)
   */
  readonly numExperts?: number;
  /**
   * Experts each token is routed to (`num_experts_per_tok`). Required with `numExperts`.
   * @default - dense model
   */
  readonly expertsPerToken?: number;
  /**
   * Intermediate size of one expert (`moe_intermediate_size`).
   * @default - intermediateSize
   */
  readonly moeIntermediateSize?: number;
  /**
   * Shared experts every token goes through, each of `moeIntermediateSize` (`n_shared_experts`).
   * @default 0
   */
  readonly numSharedExperts?: number;
  /**
   * Leading layers that use the dense MLP instead of experts (`first_k_dense_replace`).
   * @default 0
   */
  readonly firstDenseLayers?: number;
  /**
   * Multi-head latent attention (MLA): rank of the compressed KV (`kv_lora_rank`). Setting it makes the model MLA.
   * @default - standard (GQA/MHA) attention
   */
  readonly kvLoraRank?: number;
  /**
   * MLA: rank of the compressed query (`q_lora_rank`).
   * @default - queries are not compressed
   */
  readonly qLoraRank?: number;
  /**
   * MLA: per-head dimension of the non-rotary part of queries and keys (`qk_nope_head_dim`).
   * @default 128
   */
  readonly qkNopeHeadDim?: number;
  /**
   * MLA: per-head dimension of the rotary part, shared by all heads in the KV cache (`qk_rope_head_dim`).
   * @default 64
   */
  readonly qkRopeHeadDim?: number;
  /**
   * MLA: per-head value dimension (`v_head_dim`).
   * @default 128
   */
  readonly vHeadDim?: number;
  /**
   * Sliding attention window in tokens for the layers that use one (`sliding_window`).
   * @default - every layer attends to the full context
   */
  readonly slidingWindow?: number;
  /**
   * How many layers use the sliding window (from `layer_types`).
   * @default - all layers when `slidingWindow` is set
   */
  readonly slidingWindowLayers?: number;
  /**
   * Longest context the model supports (`max_position_embeddings`).
   * @default 131072
   */
  readonly maxContextLength?: number;
  /**
   * Precision of the checkpoint's weights.
   * @default Quantization.BF16
   */
  readonly quantization?: Quantization;
  /**
   * KV-cache data type the checkpoint is calibrated for.
   * @default - FP8 for FP8/FP8_BLOCK/NVFP4 checkpoints, BF16 otherwise
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * The image encoder of a vision-language model (its `vision_config`); the figures above are then those of the
   * language model (`text_config`).
   * @default - a text-only model
   */
  readonly visionEncoder?: VisionEncoderProps;
}

/**
 * The architecture of a language model: what the optimizer, the memory checks and the
 * tensor-parallel validation need to know about it.
 *
 * Use the catalog (`ModelArchitecture.of('Qwen/Qwen3-32B')`), a local Hugging Face
 * `config.json` (`ModelArchitecture.fromConfigJson(path)`) or typed figures (`ModelArchitecture.custom({...})`).
 */
export class ModelArchitecture {
  /**
   * A model from the built-in catalog by Hugging Face id (case-insensitive; the part after the
   * organisation is enough when it is unique). Throws listing the known ids.
   * @param huggingFaceId e.g. `Qwen/Qwen3-8B`, or `Qwen3-8B`
   */
  public static of(huggingFaceId: string): ModelArchitecture {
    const found = ModelArchitecture.tryOf(huggingFaceId);
    if (found) return found;
    throw PropError.invalid('ModelArchitecture.of', 'huggingFaceId', huggingFaceId,
      `one of ${ModelArchitecture.knownIds().join(', ')}`,
      'not in the model catalog; use ModelArchitecture.fromConfigJson() or ModelArchitecture.custom() for other models');
  }

  /**
   * A model from the built-in catalog, or undefined when the id is not known.
   * @param huggingFaceId e.g. `Qwen/Qwen3-8B`, matched as `of()` matches it
   */
  public static tryOf(huggingFaceId: string): ModelArchitecture | undefined {
    const key = huggingFaceId.trim().toLowerCase();
    const names = (e: CatalogEntry) => [e.id, ...(e.aliases ?? [])].map(n => n.toLowerCase());
    let entry = MODEL_CATALOG.find(e => names(e).includes(key));
    if (!entry && !key.includes('/')) {
      const bare = MODEL_CATALOG.filter(e => names(e).some(n => n.split('/')[1] === key));
      if (bare.length === 1) entry = bare[0];
    }
    if (!entry) return undefined;
    // Keep the catalog's spelling of the id or alias the caller named: it becomes the served model name.
    const id = [entry.id, ...(entry.aliases ?? [])].find(n => n.toLowerCase() === key) ?? entry.id;
    const { id: _id, aliases: _aliases, ...figures } = entry;
    return new ModelArchitecture({ ...figures, name: id }, 'ModelArchitecture.of');
  }

  /** Hugging Face ids in the catalog (aliases included), sorted. */
  public static knownIds(): string[] {
    return MODEL_CATALOG.flatMap(e => [e.id, ...(e.aliases ?? [])]).sort((a, b) => a.localeCompare(b, 'en'));
  }

  /**
   * A model described by its figures. Throws naming the prop, value and what is allowed when a figure is invalid.
   * @param props the model's shape (layers, heads, experts), context length and checkpoint precision
   */
  public static custom(props: ModelArchitectureProps): ModelArchitecture {
    return new ModelArchitecture(props, 'ModelArchitecture.custom');
  }

  /**
   * A model from a local Hugging Face `config.json` (multimodal configs: their `text_config`, with the image encoder
   * from `vision_config`). The checkpoint quantization comes from `quantization_config` or a `hf_quant_config.json`
   * next to it.
   * @param configPath path to `config.json`
   * @param name model name; defaults to `_name_or_path` in the file, else the directory name
   */
  public static fromConfigJson(configPath: string, name?: string): ModelArchitecture {
    const where = `ModelArchitecture.fromConfigJson(${configPath})`;
    const raw = HfConfig.read(where, 'configPath', configPath, 'a readable Hugging Face config.json');
    const siblingQuant = path.join(path.dirname(configPath), 'hf_quant_config.json');
    const hfQuant = fs.existsSync(siblingQuant)
      ? HfConfig.read(where, 'hf_quant_config.json', siblingQuant, 'a readable ModelOpt hf_quant_config.json, or no such file')
      : undefined;
    const modelName = name ?? raw._name_or_path ?? path.basename(path.dirname(path.resolve(configPath)));
    return new ModelArchitecture(HfConfig.toProps(raw, hfQuant, modelName, where), where);
  }

  /** Bytes per weight element at a precision, scales included. @internal */
  public static _bytesPerWeight(q: Quantization): number {
    switch (q) {
      case Quantization.BF16: return 2;
      case Quantization.FP8: return 1;
      case Quantization.FP8_BLOCK: return 1 + 4 / (128 * 128); // one fp32 scale per 128x128 block
      case Quantization.NVFP4: return 9 / 16; // 4-bit values + one fp8 scale per 16
      case Quantization.MXFP4: return 17 / 32; // 4-bit values + one e8m0 scale per 32
    }
  }

  /** Bytes per KV-cache element. @internal */
  public static _kvBytes(dtype: KvCacheDtype): number {
    return dtype === KvCacheDtype.FP8 ? 1 : 2;
  }

  private static validate(p: ModelArchitectureProps, where: string): void {
    PropError.check(typeof p.name === 'string' && p.name.trim().length > 0, where, 'name', p.name, 'a non-empty model name');
    const counts: Array<[string, number | undefined, number]> = [
      ['numLayers', p.numLayers, 1], ['hiddenSize', p.hiddenSize, 1], ['numAttentionHeads', p.numAttentionHeads, 1],
      ['numKeyValueHeads', p.numKeyValueHeads, 1], ['headDim', p.headDim, 1], ['intermediateSize', p.intermediateSize, 1],
      ['vocabSize', p.vocabSize, 1], ['numExperts', p.numExperts, 0], ['expertsPerToken', p.expertsPerToken, 1],
      ['moeIntermediateSize', p.moeIntermediateSize, 1], ['numSharedExperts', p.numSharedExperts, 0],
      ['firstDenseLayers', p.firstDenseLayers, 0], ['kvLoraRank', p.kvLoraRank, 1], ['qLoraRank', p.qLoraRank, 1],
      ['qkNopeHeadDim', p.qkNopeHeadDim, 1], ['qkRopeHeadDim', p.qkRopeHeadDim, 1], ['vHeadDim', p.vHeadDim, 1],
      ['slidingWindow', p.slidingWindow, 1], ['slidingWindowLayers', p.slidingWindowLayers, 0], ['maxContextLength', p.maxContextLength, 1],
    ];
    for (const [prop, value, min] of counts) PropError.integer(where, prop, value, min);
    PropError.check(p.numAttentionHeads % p.numKeyValueHeads === 0, where, 'numKeyValueHeads', p.numKeyValueHeads,
      `a divisor of numAttentionHeads (${p.numAttentionHeads})`);
    if (p.headDim === undefined && p.kvLoraRank === undefined) {
      PropError.check(p.hiddenSize % p.numAttentionHeads === 0, where, 'headDim', p.headDim,
        'a whole number; set it explicitly', `hiddenSize ${p.hiddenSize} is not a multiple of numAttentionHeads ${p.numAttentionHeads}`);
    }
    if (p.numExperts) {
      PropError.check(p.expertsPerToken !== undefined && p.expertsPerToken <= p.numExperts, where, 'expertsPerToken', p.expertsPerToken,
        `a whole number from 1 to numExperts (${p.numExperts})`);
      PropError.check((p.firstDenseLayers ?? 0) < p.numLayers, where, 'firstDenseLayers', p.firstDenseLayers,
        `fewer than numLayers (${p.numLayers})`);
    }
    PropError.check(p.slidingWindowLayers === undefined || p.slidingWindowLayers <= p.numLayers, where, 'slidingWindowLayers',
      p.slidingWindowLayers, `at most numLayers (${p.numLayers})`);
    PropError.check(p.slidingWindowLayers === undefined || p.slidingWindow !== undefined, where, 'slidingWindowLayers',
      p.slidingWindowLayers, 'only together with slidingWindow');
    for (const [prop, value] of [['quantization', p.quantization], ['kvCacheDtype', p.kvCacheDtype]] as const) {
      const allowed: string[] = prop === 'quantization' ? Object.values(Quantization) : Object.values(KvCacheDtype);
      PropError.check(value === undefined || allowed.includes(value), where, prop, value, allowed.join(', '));
    }
  }

  /** Model name (Hugging Face id for catalog models). */
  public readonly name: string;
  /** Number of transformer layers. */
  public readonly numLayers: number;
  /** Hidden dimension. */
  public readonly hiddenSize: number;
  /** Query heads. */
  public readonly numAttentionHeads: number;
  /** Key/value heads. */
  public readonly numKeyValueHeads: number;
  /** Dimension of one attention head (for MLA: the query/key head dimension, nope + rope). */
  public readonly headDim: number;
  /** Intermediate size of the dense MLP. */
  public readonly intermediateSize: number;
  /** Vocabulary size. */
  public readonly vocabSize: number;
  /** True when the LM head shares the embedding weights. */
  public readonly tieWordEmbeddings: boolean;
  /** Routed experts per MoE layer (0 for dense models). */
  public readonly numExperts: number;
  /** Experts per token (0 for dense models). */
  public readonly expertsPerToken: number;
  /** Intermediate size of one expert. */
  public readonly moeIntermediateSize: number;
  /** Shared experts per MoE layer. */
  public readonly numSharedExperts: number;
  /** Leading layers with a dense MLP in an MoE model. */
  public readonly firstDenseLayers: number;
  /** MLA compressed KV rank (0 without MLA). */
  public readonly kvLoraRank: number;
  /** MLA compressed query rank (0 when queries are not compressed). */
  public readonly qLoraRank: number;
  /** MLA rotary head dimension (0 without MLA). */
  public readonly qkRopeHeadDim: number;
  /** MLA non-rotary head dimension (0 without MLA). */
  public readonly qkNopeHeadDim: number;
  /** Value head dimension (headDim without MLA). */
  public readonly vHeadDim: number;
  /** Sliding attention window in tokens (0 when every layer attends to the full context). */
  public readonly slidingWindow: number;
  /** Layers that use the sliding window. */
  public readonly slidingWindowLayers: number;
  /** Longest supported context. */
  public readonly maxContextLength: number;
  /** Precision of the checkpoint's weights (the default for serving). */
  public readonly quantization: Quantization;
  /** KV-cache data type the checkpoint implies (the default for serving). */
  public readonly kvCacheDtype: KvCacheDtype;
  /** The image encoder of a vision-language model; undefined for text-only models. */
  public readonly visionEncoder?: VisionEncoder;

  private constructor(props: ModelArchitectureProps, where: string) {
    ModelArchitecture.validate(props, where);
    this.name = props.name;
    this.numLayers = props.numLayers;
    this.hiddenSize = props.hiddenSize;
    this.numAttentionHeads = props.numAttentionHeads;
    this.numKeyValueHeads = props.numKeyValueHeads;
    this.kvLoraRank = props.kvLoraRank ?? 0;
    this.qLoraRank = this.kvLoraRank ? props.qLoraRank ?? 0 : 0;
    this.qkNopeHeadDim = this.kvLoraRank ? props.qkNopeHeadDim ?? 128 : 0;
    this.qkRopeHeadDim = this.kvLoraRank ? props.qkRopeHeadDim ?? 64 : 0;
    this.headDim = this.kvLoraRank ? this.qkNopeHeadDim + this.qkRopeHeadDim : props.headDim ?? props.hiddenSize / props.numAttentionHeads;
    this.vHeadDim = this.kvLoraRank ? props.vHeadDim ?? 128 : this.headDim;
    this.intermediateSize = props.intermediateSize;
    this.vocabSize = props.vocabSize;
    this.tieWordEmbeddings = props.tieWordEmbeddings ?? false;
    this.numExperts = props.numExperts ?? 0;
    this.expertsPerToken = this.numExperts ? props.expertsPerToken ?? 0 : 0;
    this.moeIntermediateSize = this.numExperts ? props.moeIntermediateSize ?? props.intermediateSize : 0;
    this.numSharedExperts = this.numExperts ? props.numSharedExperts ?? 0 : 0;
    this.firstDenseLayers = this.numExperts ? props.firstDenseLayers ?? 0 : 0;
    this.slidingWindow = props.slidingWindow ?? 0;
    this.slidingWindowLayers = this.slidingWindow ? props.slidingWindowLayers ?? props.numLayers : 0;
    this.maxContextLength = props.maxContextLength ?? 131072;
    this.quantization = props.quantization ?? Quantization.BF16;
    this.kvCacheDtype = props.kvCacheDtype
      ?? ([Quantization.FP8, Quantization.FP8_BLOCK, Quantization.NVFP4].includes(this.quantization) ? KvCacheDtype.FP8 : KvCacheDtype.BF16);
    this.visionEncoder = props.visionEncoder ? VisionEncoder.of(props.visionEncoder, props.hiddenSize, where) : undefined;
  }

  /** True for mixture-of-experts models. */
  public get isMoe(): boolean {
    return this.numExperts > 0;
  }

  /** True for multi-head latent attention (DeepSeek-style): the KV cache holds one latent vector per token and layer. */
  public get isMla(): boolean {
    return this.kvLoraRank > 0;
  }

  /** Layers with experts (0 for dense models). */
  public get moeLayers(): number {
    return this.isMoe ? this.numLayers - this.firstDenseLayers : 0;
  }

  /**
   * Total parameters (embeddings, LM head, attention, MLP and all experts; norms included, biases and MTP heads not),
   * with the vision encoder's of a vision-language model.
   */
  public parameterCount(): number {
    const p = this.parameterBreakdown();
    return p.embedding + p.lmHead + p.norms + p.attention + p.denseMlp + p.experts + p.router + (this.visionEncoder?.parameterCount() ?? 0);
  }

  /** Parameters one token goes through (all of them for dense models; shared plus `expertsPerToken` experts for MoE). */
  public activeParameterCount(): number {
    const p = this.parameterBreakdown();
    const routed = this.isMoe ? p.experts * this.routedShare() : 0;
    return p.embedding + p.lmHead + p.norms + p.attention + p.denseMlp + p.router + p.experts - p.routedExperts + routed;
  }

  /**
   * Bytes of all weights at a precision. Embeddings, LM head, norms and the MoE router stay BF16;
   * MXFP4 (as in gpt-oss) quantizes the MLP and expert weights only, the other precisions every linear layer.
   * A vision-language model's encoder counts at BF16 (`VisionEncoder.weightBytes`): the engines load it with the
   * language model.
   * @param quantization weight precision
   * @default - the checkpoint's precision
   */
  public weightBytes(quantization?: Quantization): number {
    const q = quantization ?? this.quantization;
    const p = this.parameterBreakdown();
    const linear = ModelArchitecture._bytesPerWeight(q);
    const attentionBytes = q === Quantization.MXFP4 ? 2 : linear;
    return (p.embedding + p.lmHead + p.norms + p.router) * 2 + p.attention * attentionBytes + (p.denseMlp + p.experts) * linear
      + (this.visionEncoder?.weightBytes() ?? 0);
  }

  /**
   * KV-cache bytes one token takes across all layers (MLA: the latent vector, not sharded by tensor parallelism;
   * otherwise keys and values of every KV head). Sliding-window layers count in full: see `kvCacheBytesPerSequence`.
   * @param kvDtype KV-cache data type
   * @default - the checkpoint's KV-cache data type
   */
  public kvCacheBytesPerToken(kvDtype?: KvCacheDtype): number {
    return this.numLayers * this.kvElementsPerTokenPerLayer() * ModelArchitecture._kvBytes(kvDtype ?? this.kvCacheDtype);
  }

  /**
   * KV-cache bytes one sequence of `tokens` takes across all layers, where sliding-window layers keep
   * at most `slidingWindow` tokens.
   * @param tokens sequence length in tokens
   * @param kvDtype KV-cache data type
   * @default - the checkpoint's KV-cache data type
   */
  public kvCacheBytesPerSequence(tokens: number, kvDtype?: KvCacheDtype): number {
    const perLayerToken = this.kvElementsPerTokenPerLayer() * ModelArchitecture._kvBytes(kvDtype ?? this.kvCacheDtype);
    const full = this.numLayers - this.slidingWindowLayers;
    return perLayerToken * (full * tokens + this.slidingWindowLayers * Math.min(tokens, this.slidingWindow || tokens));
  }

  /** One-line description, e.g. `Qwen/Qwen3-32B (dense, 64 layers, 32.8B params, bf16)`. */
  public toString(): string {
    const kind = this.isMoe ? `MoE ${this.numExperts}x top-${this.expertsPerToken}` : 'dense';
    const billions = (this.parameterCount() / 1e9).toFixed(1);
    return `${this.name} (${kind}${this.isMla ? ', MLA' : ''}${this.visionEncoder ? ', vision' : ''}, ${this.numLayers} layers, ${billions}B params, ${this.quantization})`;
  }

  /** KV elements per token and layer on one unsharded copy: MLA latent, or K and V of every KV head. */
  private kvElementsPerTokenPerLayer(): number {
    return this.isMla ? this.kvLoraRank + this.qkRopeHeadDim : 2 * this.numKeyValueHeads * this.headDim;
  }

  /** Fraction of routed-expert parameters a token activates. */
  private routedShare(): number {
    return this.expertsPerToken / this.numExperts;
  }

  private parameterBreakdown() {
    const h = this.hiddenSize;
    const n = this.numAttentionHeads;
    const embedding = this.vocabSize * h;
    const lmHead = this.tieWordEmbeddings ? 0 : this.vocabSize * h;
    let attentionPerLayer: number;
    if (this.isMla) {
      const q = this.qLoraRank ? h * this.qLoraRank + this.qLoraRank * n * this.headDim : h * n * this.headDim;
      const kvA = h * (this.kvLoraRank + this.qkRopeHeadDim);
      const kvB = this.kvLoraRank * n * (this.qkNopeHeadDim + this.vHeadDim);
      attentionPerLayer = q + kvA + kvB + n * this.vHeadDim * h + this.qLoraRank + this.kvLoraRank;
    } else {
      attentionPerLayer = h * (n + 2 * this.numKeyValueHeads) * this.headDim + n * this.headDim * h;
    }
    const denseLayers = this.numLayers - this.moeLayers;
    const denseMlp = denseLayers * 3 * h * this.intermediateSize;
    const routedExperts = this.moeLayers * this.numExperts * 3 * h * this.moeIntermediateSize;
    const sharedExperts = this.moeLayers * this.numSharedExperts * 3 * h * this.moeIntermediateSize;
    return {
      embedding,
      lmHead,
      norms: (2 * this.numLayers + 1) * h,
      attention: this.numLayers * attentionPerLayer,
      denseMlp,
      experts: routedExperts + sharedExperts,
      routedExperts,
      router: this.moeLayers * h * this.numExperts,
    };
  }
}

/** Maps Hugging Face `config.json` fields to `ModelArchitectureProps` (AIConfigurator's mapping). */
class HfConfig {
  /** A JSON file's content; an unreadable or malformed file throws naming it. */
  public static read(where: string, prop: string, file: string, allowed: string): any {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw PropError.invalid(where, prop, file, allowed, (e as Error).message);
    }
  }

  public static toProps(raw: any, hfQuant: any, name: string, where: string): ModelArchitectureProps {
    const c = raw.text_config ? { ...raw.text_config, quantization_config: raw.quantization_config ?? raw.text_config.quantization_config } : raw;
    const need = (field: string): number => {
      const v = c[field];
      PropError.check(typeof v === 'number', where, field, v, 'a number in config.json');
      return v;
    };
    const numExperts: number | undefined = c.num_local_experts ?? c.n_routed_experts ?? c.num_experts ?? undefined;
    const moeInter: number | undefined = c.moe_intermediate_size ?? undefined;
    const layerTypes: string[] | undefined = Array.isArray(c.layer_types) ? c.layer_types : undefined;
    const sliding = typeof c.sliding_window === 'number' && c.use_sliding_window !== false
      && (!layerTypes || layerTypes.includes('sliding_attention')) ? c.sliding_window as number : undefined;
    const shared = c.n_shared_experts ?? (c.shared_expert_intermediate_size && moeInter
      ? Math.round(c.shared_expert_intermediate_size / moeInter) : undefined);
    const { quantization, kvCacheDtype } = HfConfig.quant(c.quantization_config, hfQuant, where);
    return {
      name,
      numLayers: need('num_hidden_layers'),
      hiddenSize: need('hidden_size'),
      numAttentionHeads: need('num_attention_heads'),
      numKeyValueHeads: c.num_key_value_heads ?? need('num_attention_heads'),
      headDim: c.kv_lora_rank ? undefined : c.head_dim ?? undefined,
      intermediateSize: need('intermediate_size'),
      vocabSize: need('vocab_size'),
      tieWordEmbeddings: c.tie_word_embeddings ?? false,
      numExperts: numExperts || undefined,
      expertsPerToken: numExperts ? c.num_experts_per_tok : undefined,
      moeIntermediateSize: numExperts ? moeInter : undefined,
      numSharedExperts: numExperts ? shared : undefined,
      firstDenseLayers: numExperts ? c.first_k_dense_replace ?? undefined : undefined,
      kvLoraRank: c.kv_lora_rank ?? undefined,
      qLoraRank: c.kv_lora_rank ? c.q_lora_rank ?? undefined : undefined,
      qkNopeHeadDim: c.kv_lora_rank ? c.qk_nope_head_dim : undefined,
      qkRopeHeadDim: c.kv_lora_rank ? c.qk_rope_head_dim : undefined,
      vHeadDim: c.kv_lora_rank ? c.v_head_dim : undefined,
      slidingWindow: sliding,
      slidingWindowLayers: sliding && layerTypes ? layerTypes.filter(t => t === 'sliding_attention').length : undefined,
      maxContextLength: c.max_position_embeddings ?? undefined,
      quantization,
      kvCacheDtype,
      visionEncoder: raw.text_config ? HfConfig.vision(raw, c.hidden_size) : undefined,
    };
  }

  /**
   * The image encoder of a vision-language config (`vision_config`), in the field names of Qwen2-VL, Qwen2.5-VL,
   * Qwen3-VL, LLaVA (CLIP) and Llama 4; undefined when a figure it needs is missing (the encoder checks are then
   * skipped). Processor settings a config does not hold (Qwen's pixel cap, Llama 4's tile count) are left out.
   */
  private static vision(raw: any, textHidden: number): VisionEncoderProps | undefined {
    const v = raw.vision_config;
    if (!v || typeof v !== 'object') return undefined;
    const num = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined);
    // Qwen2-VL names the ViT width embed_dim; its hidden_size is the merger's output.
    const width = num(v.embed_dim) ?? num(v.hidden_size);
    const numLayers = num(v.depth) ?? num(v.num_hidden_layers);
    const numAttentionHeads = num(v.num_heads) ?? num(v.num_attention_heads);
    const patchSize = num(v.patch_size);
    const intermediateSize = num(v.intermediate_size) ?? (width && typeof v.mlp_ratio === 'number' ? Math.round(width * v.mlp_ratio) : undefined);
    if (!width || !numLayers || !numAttentionHeads || !patchSize || !intermediateSize || width % numAttentionHeads !== 0) return undefined;
    const shuffle = typeof v.pixel_shuffle_ratio === 'number' && v.pixel_shuffle_ratio > 0 ? Math.round(1 / v.pixel_shuffle_ratio) : undefined;
    const merge = num(v.spatial_merge_size) ?? shuffle;
    const tileSize = merge && num(v.spatial_merge_size) ? undefined : num(v.image_size);
    // LLaVA-NeXT: the largest "anyres" grid, in tiles, plus the whole image.
    const pinpoints: unknown = raw.image_grid_pinpoints;
    const grids = Array.isArray(pinpoints) && tileSize
      ? pinpoints.filter((p): p is [number, number] => Array.isArray(p) && p.length === 2)
        .map(([h, w]) => Math.round(h / tileSize) * Math.round(w / tileSize))
      : [];
    const windowPatches = num(v.window_size) && Array.isArray(v.fullatt_block_indexes) ? (num(v.window_size)! / patchSize) ** 2 : undefined;
    const deepstack = Array.isArray(v.deepstack_visual_indexes) ? v.deepstack_visual_indexes.length : 0;
    return {
      numLayers,
      hiddenSize: width,
      intermediateSize,
      numAttentionHeads,
      patchSize,
      // Qwen2.5-VL's ViT is the one with a SiLU-gated MLP.
      gatedMlp: v.hidden_act === 'silu' ? true : undefined,
      temporalPatchSize: num(v.temporal_patch_size),
      spatialMergeSize: merge,
      // Llama 4 projects to its own width first; LLaVA's two-layer projector runs at the language model's width.
      projectorHiddenSize: num(v.projector_output_dim) ?? (raw.projector_hidden_act && tileSize ? textHidden : undefined),
      numProjectors: deepstack > 0 ? deepstack + 1 : undefined,
      tileSize: tileSize && tileSize % patchSize === 0 ? tileSize : undefined,
      maxTiles: grids.length > 0 && tileSize ? Math.max(...grids) : undefined,
      thumbnailTile: grids.length > 0 && tileSize ? true : undefined,
      windowPatches: windowPatches && Number.isInteger(windowPatches) ? windowPatches : undefined,
      fullAttentionLayers: windowPatches && Number.isInteger(windowPatches) ? v.fullatt_block_indexes.length : undefined,
    };
  }

  /** Checkpoint precision from `quantization_config` (transformers) or `hf_quant_config.json` (ModelOpt). */
  private static quant(qc: any, hfQuant: any, where: string): { quantization?: Quantization; kvCacheDtype?: KvCacheDtype } {
    const modelopt = hfQuant?.quantization ?? (qc?.quant_method === 'modelopt' ? qc : undefined);
    if (modelopt) {
      const algo = String(modelopt.quant_algo ?? '').toUpperCase();
      const quantization = algo === 'FP8' ? Quantization.FP8 : algo === 'NVFP4' ? Quantization.NVFP4 : undefined;
      PropError.check(quantization !== undefined, where, 'quant_algo', modelopt.quant_algo, 'FP8, NVFP4');
      const kv = String(modelopt.kv_cache_quant_algo ?? '').toUpperCase() === 'FP8' ? KvCacheDtype.FP8 : KvCacheDtype.BF16;
      return { quantization, kvCacheDtype: kv };
    }
    if (!qc) return {};
    switch (qc.quant_method) {
      case 'fp8': return { quantization: qc.weight_block_size ? Quantization.FP8_BLOCK : Quantization.FP8 };
      case 'mxfp4': return { quantization: Quantization.MXFP4 };
      case 'compressed-tensors': {
        const format = String(qc.format ?? '');
        const quantization = format.startsWith('float') ? Quantization.FP8 : format.startsWith('nvfp4') ? Quantization.NVFP4 : undefined;
        PropError.check(quantization !== undefined, where, 'quantization_config.format', qc.format, 'float-quantized, nvfp4-pack-quantized');
        return { quantization, kvCacheDtype: qc.kv_cache_scheme ? KvCacheDtype.FP8 : undefined };
      }
      default:
        throw PropError.invalid(where, 'quantization_config.quant_method', qc.quant_method, 'fp8, mxfp4, modelopt, compressed-tensors',
          'this checkpoint precision is not modelled; describe the model with ModelArchitecture.custom()');
    }
  }
}
