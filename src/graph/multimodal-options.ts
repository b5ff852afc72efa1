import { Size } from 'cdk8s';

/**
 * Multimodal settings of a worker pool (`multimodal` on `AggregatedPool`, `PrefillPool`, `DecodePool`, and the props
 * of an `EncodePool`). Setting them makes the pool take images: the engine gets `--enable-multimodal` and the role
 * flags of the graph's pattern (`DynamoGraph.multimodalPattern`). Every language-model pool of a multimodal graph sets
 * them; `{}` takes the defaults.
 */
export interface MultimodalOptions {
  /**
   * Most images one prompt may carry (vLLM `--limit-mm-per-prompt '{"image": N}'`; vLLM only).
   * @default - the engine's default
   */
  readonly maxImagesPerPrompt?: number;
  /**
   * GiB of vision embeddings the worker keeps so repeated images skip the encoder
   * (`--multimodal-embedding-cache-capacity-gb`). It sits in the worker that receives or computes the embeddings:
   * an aggregated (EPD, or the PD worker of E/PD) or prefill pool.
   * @default - no embedding cache
   */
  readonly embeddingCacheGiB?: number;
  /**
   * SGLang chat template the encode (or single EPD) worker applies (`--chat-template`), e.g. `qwen2-vl`.
   * @default - `qwen2-vl` for Qwen2-VL and Qwen2.5-VL on an SGLang encode worker, else the model's own template
   */
  readonly chatTemplate?: string;
}

/**
 * Multimodal settings of a `Frontend`: how the graph fetches and carries media. They apply to the frontend and to
 * every multimodal worker, which all fetch or forward images.
 */
export interface FrontendMultimodalOptions {
  /**
   * Let the graph fetch images from `http://` and cluster-internal addresses (`DYN_MM_ALLOW_INTERNAL=1`), which
   * the media loader refuses by default against server-side request forgery.
   * @default false
   */
  readonly allowInternalMediaUrls?: boolean;
  /**
   * Largest message on the request plane (`DYN_TCP_MAX_MESSAGE_SIZE`), which carries inline (base64) images between
   * the frontend and the workers. Upstream's 32B vision recipes raise it to 64 MiB.
   * @default - the runtime's 32 MiB
   */
  readonly maxMessageSize?: Size;
}
