import { Backend } from './backend';

/**
 * How a multimodal graph splits the work of a request with images: encode (load the media and run the vision
 * encoder), prefill and decode. A graph's pattern follows from its pools (`DynamoGraph.multimodalPattern`).
 */
export enum MultimodalPattern {
  /** One worker encodes, prefills and decodes: a multimodal `AggregatedPool`. */
  EPD = 'EPD',
  /** An `EncodePool` hands embeddings over NIXL to a multimodal `AggregatedPool` that prefills and decodes. */
  E_PD = 'E/PD',
  /**
   * Encode, prefill and decode all separate: an `EncodePool` with a multimodal `PrefillPool` and `DecodePool`.
   * vLLM and TRT-LLM run it prefill-first (the prefill worker calls the encoder), SGLang decode-first (the encoder
   * serves the request and hands embeddings to decode, which bootstraps prefill).
   */
  E_P_D = 'E/P/D',
  /** The prefill worker encodes the images itself and hands the KV cache to decode: multimodal prefill and decode pools. */
  EP_D = 'EP/D',
}

/** Patterns per backend, from the upstream support matrix (Dynamo 1.3+; `docs/multimodal.md`). */
const SUPPORTED: Record<Backend, readonly MultimodalPattern[]> = {
  [Backend.VLLM]: [MultimodalPattern.EPD, MultimodalPattern.E_PD, MultimodalPattern.E_P_D, MultimodalPattern.EP_D],
  [Backend.SGLANG]: [MultimodalPattern.EPD, MultimodalPattern.E_PD, MultimodalPattern.E_P_D, MultimodalPattern.EP_D],
  // The matrix lists no E/PD for TRT-LLM (a launcher exists, but upstream does not support it).
  [Backend.TRTLLM]: [MultimodalPattern.EPD, MultimodalPattern.E_P_D, MultimodalPattern.EP_D],
};

/**
 * Which multimodal patterns each backend runs, as the upstream support matrix states it.
 */
export class MultimodalSupport {
  /** The Dynamo runtime release that introduced the multimodal flags this library renders (`--enable-multimodal`, `--disaggregation-mode encode`). */
  public static readonly MIN_RUNTIME_VERSION = '1.3.0';

  /**
   * The patterns a backend runs.
   * @param backend the inference engine
   */
  public static patterns(backend: Backend): MultimodalPattern[] {
    return [...(SUPPORTED[backend] ?? [])];
  }

  /**
   * True when the backend runs the pattern.
   * @param backend the inference engine
   * @param pattern the multimodal pattern
   */
  public static supports(backend: Backend, pattern: MultimodalPattern): boolean {
    return MultimodalSupport.patterns(backend).includes(pattern);
  }

  private constructor() {}
}

/**
 * The multimodal part of a worker's engine settings.
 * @internal
 */
export interface MultimodalEngineSettings {
  /** The graph's pattern; undefined while the graph is still being built (construction-time validation). */
  readonly pattern?: MultimodalPattern;
  /** Most images one prompt may carry. */
  readonly maxImagesPerPrompt?: number;
  /** GiB of vision embeddings the worker caches. */
  readonly embeddingCacheGiB?: number;
  /** SGLang chat template of the worker that applies it (the encode worker, or the EPD worker). */
  readonly chatTemplate?: string;
}
