/**
 * Backend TensorRT-LLM's KV-cache transceiver uses between disaggregated prefill and decode engines
 * (`cache_transceiver_config.backend`).
 */
export enum TrtllmCacheTransceiverBackend {
  /** TensorRT-LLM picks one (the library's default). */
  DEFAULT = 'DEFAULT',
  /** UCX. */
  UCX = 'UCX',
  /** NVIDIA NIXL. */
  NIXL = 'NIXL',
  /** MPI. */
  MPI = 'MPI',
}

/**
 * CUDA graph capture of a TensorRT-LLM engine (`cuda_graph_config`).
 */
export interface TrtllmCudaGraphs {
  /**
   * Pad batches up to the next captured size instead of running them eagerly (`enable_padding`).
   * @default - TensorRT-LLM's default
   */
  readonly padding?: boolean;
  /**
   * Batch sizes to capture (`batch_sizes`).
   * @default - TensorRT-LLM's default
   */
  readonly batchSizes?: number[];
  /**
   * Largest batch size to capture (`max_batch_size`).
   * @default - TensorRT-LLM's default
   */
  readonly maxBatchSize?: number;
}

/**
 * TensorRT-LLM engine settings beyond the pool's typed tuning, merged into the `--extra-engine-args` YAML the pool
 * renders into its ConfigMap (`<graph>-<component>-engine`). The keys the library sets itself stay typed props
 * (parallelism, `maxBatchSize` → `max_batch_size`, `maxNumBatchedTokens` → `max_num_tokens`, `maxModelLen` →
 * `max_seq_len`, `gpuMemoryUtilization` → `kv_cache_config.free_gpu_memory_fraction`, `kvCacheDtype` →
 * `kv_cache_config.dtype`): setting one of them again in `extraConfig` is an error that names the prop.
 *
 * Or, with `configFileInImage`, the engine reads a YAML that ships in the runtime image (as upstream examples do)
 * and the library renders none.
 */
export interface TrtllmEngineOptions {
  /**
   * CUDA graph capture (`cuda_graph_config`).
   * @default - TensorRT-LLM's default
   */
  readonly cudaGraphs?: TrtllmCudaGraphs;
  /**
   * Overlap scheduling of one batch with the next (`disable_overlap_scheduler: true` when false). Prefill pools
   * always run without it: a context server must not overlap scheduling with the KV hand-off.
   * @default - on (TensorRT-LLM's default); off on prefill pools
   */
  readonly overlapScheduler?: boolean;
  /**
   * Reuse KV-cache blocks of shared prefixes across requests (`kv_cache_config.enable_block_reuse`).
   * @default - TensorRT-LLM's default (on)
   */
  readonly kvCacheBlockReuse?: boolean;
  /**
   * KV transfer backend between prefill and decode (`cache_transceiver_config.backend`); disaggregated pools only.
   * @default TrtllmCacheTransceiverBackend.DEFAULT
   */
  readonly cacheTransceiverBackend?: TrtllmCacheTransceiverBackend;
  /**
   * Tokens the KV transceiver buffers (`cache_transceiver_config.max_tokens_in_buffer`); disaggregated pools only.
   * @default - TensorRT-LLM's default
   */
  readonly cacheTransceiverMaxTokensInBuffer?: number;
  /**
   * Any other TensorRT-LLM LLM-API key, merged into the YAML (maps are merged key by key, e.g.
   * `{ kv_cache_config: { max_tokens: 65536 }, moe_config: { backend: 'CUTLASS' } }`). Keys the library or the
   * typed settings set are refused, naming the prop to use.
   * @default - none
   */
  readonly extraConfig?: { [key: string]: any };
  /**
   * Explicit opt-in to an engine YAML inside the image, e.g.
   * `/workspace/examples/backends/trtllm/engine_configs/qwen3/agg.yaml` (a relative path resolves against
   * `workingDir`). The pool then renders no ConfigMap and passes this path as `--extra-engine-args`; the file decides
   * the engine's limits, so `maxBatchSize`, `maxNumBatchedTokens`, `maxModelLen`, `gpuMemoryUtilization`,
   * `kvCacheDtype` and the other options here must be unset. The pool's `tensorParallel`, `pipelineParallel` and
   * `expertParallel` still size the GPU request and are passed as flags: keep the file's values equal to them.
   * @default - the library renders the engine YAML
   */
  readonly configFileInImage?: string;
}
