import { IConstruct } from 'constructs';
import { stringify } from 'yaml';
import { ArgList } from './arg-list';
import { Backend } from './backend';
import { EngineMemory } from './engine-memory';
import { EngineCommand, EngineSettings } from './engine-settings';
import { MultimodalPattern } from './multimodal';
import { TrtllmCacheTransceiverBackend, TrtllmEngineOptions } from './trtllm-engine-options';
import { PropError } from '../common/errors';
import { KvCacheDtype } from '../model/precision';

/** Where the pool mounts the engine ConfigMap. */
const TRTLLM_CONFIG_DIR = '/etc/dynamo/trtllm';

/** Upstream names the files after the role. */
const FILE_NAME = { aggregated: 'agg.yaml', prefill: 'prefill.yaml', decode: 'decode.yaml', encode: 'encode.yaml' } as const;

/**
 * The encode worker's endpoint. The operator sets `DYN_NAMESPACE` (`<namespace>-<graph>`) in the container, and
 * Kubernetes expands `$(DYN_NAMESPACE)` in the arguments, so the endpoint follows the graph wherever it is applied.
 */
const ENCODE_ENDPOINT = 'dyn://$(DYN_NAMESPACE).encode.generate';

/** Engine YAML keys the library sets, by dotted path, and the prop that sets them. */
const OWNED_KEYS: { readonly [path: string]: string } = {
  'tensor_parallel_size': 'tensorParallel',
  'pipeline_parallel_size': 'pipelineParallel',
  'moe_expert_parallel_size': 'expertParallel',
  'enable_attention_dp': 'dataParallel',
  'max_batch_size': 'maxBatchSize',
  'max_num_tokens': 'maxNumBatchedTokens',
  'max_seq_len': 'maxModelLen',
  'trust_remote_code': 'nothing (the library always sets it)',
  'enable_chunked_prefill': 'the pool class (prefill and aggregated pools chunk their prefills)',
  'disable_overlap_scheduler': 'trtllm.overlapScheduler',
  'kv_cache_config.free_gpu_memory_fraction': 'gpuMemoryUtilization',
  'kv_cache_config.dtype': 'kvCacheDtype',
  'kv_cache_config.enable_block_reuse': 'trtllm.kvCacheBlockReuse',
  'cache_transceiver_config.backend': 'trtllm.cacheTransceiverBackend',
  'cache_transceiver_config.max_tokens_in_buffer': 'trtllm.cacheTransceiverMaxTokensInBuffer',
  'cuda_graph_config': 'trtllm.cudaGraphs',
  'model': 'model or modelCache',
  'tokenizer': 'model or modelCache',
};

/** Typed settings an engine YAML inside the image decides instead. */
const FILE_DECIDES = ['maxBatchSize', 'maxNumBatchedTokens', 'maxModelLen', 'gpuMemoryUtilization', 'kvCacheDtype'] as const;
const KEY = /^[a-z][a-z0-9_]*$/;

/**
 * `python3 -m dynamo.trtllm` command line. TRT-LLM reads its engine settings from an `--extra-engine-args` YAML,
 * which is rendered here and mounted by the graph (or, on request, read from the image); quantization comes from the
 * checkpoint (ModelOpt configs).
 * @internal
 */
export class TrtllmCommand {
  public static render(s: EngineSettings): EngineCommand {
    const inImage = s.trtllm?.configFileInImage;
    const file = inImage === undefined
      ? { fileName: FILE_NAME[s.role], mountPath: TRTLLM_CONFIG_DIR, content: TrtllmCommand.engineConfig(s) }
      : undefined;
    const encode = s.role === 'encode';
    const args = new ArgList()
      .opt('--model-path', s.modelPath ?? s.model)
      .opt('--served-model-name', s.model)
      .opt('--extra-engine-args', file ? `${file.mountPath}/${file.fileName}` : inImage)
      .flag('--enable-multimodal', s.multimodal !== undefined)
      // With a file from the image the pool's parallelism (which sizes the GPU request) reaches the engine as flags.
      .opt('--tensor-parallel-size', inImage !== undefined ? s.tensorParallel : undefined)
      .opt('--pipeline-parallel-size', inImage !== undefined && s.pipelineParallel > 1 ? s.pipelineParallel : undefined)
      .opt('--expert-parallel-size', inImage !== undefined && s.expertParallel > 1 ? s.expertParallel : undefined)
      .opt('--disaggregation-mode', s.role === 'aggregated' ? undefined : s.role)
      // TRT-LLM's E/P/D is prefill-first: the prefill worker calls the encoder.
      .opt('--encode-endpoint', s.multimodal?.pattern === MultimodalPattern.E_P_D && s.role === 'prefill' ? ENCODE_ENDPOINT : undefined)
      .opt('--multimodal-embedding-cache-capacity-gb', s.multimodal?.embeddingCacheGiB)
      // Without it TRT-LLM exports no engine metrics (autoscaling and dashboards read them); the KV events it also
      // publishes are simply unused when the frontend does not route by KV. An encoder has neither.
      .flag('--publish-events-and-metrics', !encode)
      .toArray();
    // The operator launches multinode TRT-LLM through mpirun, and the runtime images run as root.
    const env = s.nodeCount > 1
      ? [{ name: 'OMPI_ALLOW_RUN_AS_ROOT', value: '1' }, { name: 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM', value: '1' }]
      : [];
    return { command: ['python3', '-m', 'dynamo.trtllm'], args, env, configFiles: file ? [file] : [] };
  }

  /** Throws on `trtllm` options the backend or role cannot take, naming the prop. */
  public static check(s: EngineSettings, scope: IConstruct | string): void {
    const o = s.trtllm;
    if (o === undefined) return;
    PropError.check(s.backend === Backend.TRTLLM, scope, 'trtllm', Object.keys(o), 'unset on a vLLM or SGLang pool', `backend is ${s.backend}`);
    if (o.configFileInImage !== undefined) {
      PropError.check(typeof o.configFileInImage === 'string' && /^\S+\.ya?ml$/.test(o.configFileInImage), scope, 'trtllm.configFileInImage',
        o.configFileInImage, 'the path of a .yaml file in the image, without whitespace');
      const others = Object.keys(o).filter(k => k !== 'configFileInImage' && (o as any)[k] !== undefined);
      PropError.check(others.length === 0, scope, `trtllm.${others[0]}`, (o as any)[others[0]], 'unset with trtllm.configFileInImage',
        'the engine YAML in the image decides the engine settings; the library renders none');
      for (const prop of FILE_DECIDES) {
        PropError.check(s[prop] === undefined, scope, prop, s[prop], 'unset with trtllm.configFileInImage',
          'the engine YAML in the image decides it; set it in that file');
      }
      return;
    }
    const graphs = o.cudaGraphs ?? {};
    for (const [i, size] of (graphs.batchSizes ?? []).entries()) PropError.integer(scope, `trtllm.cudaGraphs.batchSizes[${i}]`, size, 1);
    PropError.integer(scope, 'trtllm.cudaGraphs.maxBatchSize', graphs.maxBatchSize, 1);
    PropError.check(!(s.role === 'prefill' && o.overlapScheduler === true), scope, 'trtllm.overlapScheduler', true, 'false or unset on a PrefillPool',
      'a context server must not overlap scheduling with the KV hand-off');
    const backends = Object.values(TrtllmCacheTransceiverBackend) as string[];
    PropError.check(o.cacheTransceiverBackend === undefined || backends.includes(o.cacheTransceiverBackend), scope, 'trtllm.cacheTransceiverBackend',
      o.cacheTransceiverBackend, backends.join(', '));
    PropError.integer(scope, 'trtllm.cacheTransceiverMaxTokensInBuffer', o.cacheTransceiverMaxTokensInBuffer, 1);
    for (const prop of ['cacheTransceiverBackend', 'cacheTransceiverMaxTokensInBuffer'] as const) {
      PropError.check(o[prop] === undefined || s.role === 'prefill' || s.role === 'decode', scope, `trtllm.${prop}`, o[prop],
        'unset except on a PrefillPool or DecodePool', 'only disaggregated prefill and decode engines transfer KV caches');
    }
    if (o.extraConfig !== undefined) TrtllmCommand.checkExtra(o.extraConfig, '', scope);
  }

  /** The `--extra-engine-args` YAML (LLM API keys), deterministic key order. */
  public static engineConfig(s: EngineSettings): string {
    const o: TrtllmEngineOptions = s.trtllm ?? {};
    if (s.role === 'encode') {
      // The encoder runs the vision tower only: no KV cache, no scheduling limits of the language model.
      const encoder = { tensor_parallel_size: s.tensorParallel, pipeline_parallel_size: s.pipelineParallel, trust_remote_code: true };
      return stringify(TrtllmCommand.merge(encoder, o.extraConfig ?? {}), { lineWidth: 0 });
    }
    const graphs = o.cudaGraphs;
    const kvCacheConfig = {
      free_gpu_memory_fraction: s.gpuMemoryUtilization ?? EngineMemory.defaultFraction(Backend.TRTLLM, s.tensorParallel),
      ...(s.kvCacheDtype === KvCacheDtype.FP8 ? { dtype: 'fp8' } : {}),
      ...(o.kvCacheBlockReuse !== undefined ? { enable_block_reuse: o.kvCacheBlockReuse } : {}),
    };
    const overlap = s.role === 'prefill' ? false : o.overlapScheduler;
    const config = {
      tensor_parallel_size: s.tensorParallel,
      pipeline_parallel_size: s.pipelineParallel,
      ...(s.expertParallel > 1 ? { moe_expert_parallel_size: s.expertParallel } : {}),
      // Attention DP runs over the TP ranks (validated: dataParallel is 1 or tensorParallel).
      ...(s.dataParallel > 1 ? { enable_attention_dp: true } : {}),
      ...(s.maxBatchSize !== undefined ? { max_batch_size: s.maxBatchSize } : {}),
      ...(s.maxNumBatchedTokens !== undefined ? { max_num_tokens: s.maxNumBatchedTokens } : {}),
      ...(s.maxModelLen !== undefined ? { max_seq_len: s.maxModelLen } : {}),
      trust_remote_code: true,
      ...(s.role !== 'decode' ? { enable_chunked_prefill: true } : {}),
      // Context servers in a disaggregated pair must not overlap scheduling with KV hand-off.
      ...(overlap !== undefined ? { disable_overlap_scheduler: !overlap } : {}),
      ...(graphs ? {
        cuda_graph_config: {
          ...(graphs.padding !== undefined ? { enable_padding: graphs.padding } : {}),
          ...(graphs.batchSizes ? { batch_sizes: [...graphs.batchSizes] } : {}),
          ...(graphs.maxBatchSize !== undefined ? { max_batch_size: graphs.maxBatchSize } : {}),
        },
      } : {}),
      kv_cache_config: kvCacheConfig,
      ...(s.role === 'prefill' || s.role === 'decode' ? {
        cache_transceiver_config: {
          backend: o.cacheTransceiverBackend ?? TrtllmCacheTransceiverBackend.DEFAULT,
          ...(o.cacheTransceiverMaxTokensInBuffer !== undefined ? { max_tokens_in_buffer: o.cacheTransceiverMaxTokensInBuffer } : {}),
        },
      } : {}),
    };
    return stringify(TrtllmCommand.merge(config, o.extraConfig ?? {}), { lineWidth: 0 });
  }

  /** `extra` merged into `base`, maps key by key (validated: no key of `extra` is one the library sets). */
  private static merge(base: { [key: string]: any }, extra: { [key: string]: any }): { [key: string]: any } {
    const out: { [key: string]: any } = { ...base };
    for (const [key, value] of Object.entries(extra)) {
      const mergeable = TrtllmCommand.isMap(out[key]) && TrtllmCommand.isMap(value);
      out[key] = mergeable ? TrtllmCommand.merge(out[key], value) : value;
    }
    return out;
  }

  /** Refuses keys the library sets (naming their prop), odd key names and values YAML cannot hold. */
  private static checkExtra(extra: unknown, prefix: string, scope: IConstruct | string): void {
    PropError.check(TrtllmCommand.isMap(extra), scope, `trtllm.extraConfig${prefix ? `.${prefix}` : ''}`, extra, 'a map of LLM API keys');
    for (const [key, value] of Object.entries(extra as object)) {
      const path = prefix ? `${prefix}.${key}` : key;
      PropError.check(KEY.test(key), scope, 'trtllm.extraConfig', path, 'snake_case LLM API keys, e.g. moe_config or kv_cache_config.max_tokens');
      const owner = OWNED_KEYS[path];
      PropError.check(owner === undefined, scope, `trtllm.extraConfig.${path}`, value, `keys other than ${path}; set ${owner} instead`,
        'the library writes this key from a typed setting');
      if (TrtllmCommand.isMap(value)) {
        TrtllmCommand.checkExtra(value, path, scope);
      } else {
        const plain = value === null || ['string', 'number', 'boolean'].includes(typeof value) || Array.isArray(value);
        PropError.check(plain && (typeof value !== 'number' || Number.isFinite(value)), scope, `trtllm.extraConfig.${path}`, value,
          'a string, finite number, boolean, list, map or null');
      }
    }
  }

  private static isMap(x: unknown): x is { [key: string]: any } {
    return x !== null && typeof x === 'object' && !Array.isArray(x);
  }
}
