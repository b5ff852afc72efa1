import { stringify } from 'yaml';
import { ArgList } from './arg-list';
import { Backend } from './backend';
import { EngineMemory } from './engine-memory';
import { EngineCommand, EngineSettings } from './engine-settings';
import { MultimodalPattern } from './multimodal';
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

/**
 * `python3 -m dynamo.trtllm` command line. TRT-LLM reads its engine settings from an `--extra-engine-args` YAML,
 * which is rendered here and mounted by the graph; quantization comes from the checkpoint (ModelOpt configs).
 * @internal
 */
export class TrtllmCommand {
  public static render(s: EngineSettings): EngineCommand {
    const file = { fileName: FILE_NAME[s.role], mountPath: TRTLLM_CONFIG_DIR, content: TrtllmCommand.engineConfig(s) };
    const encode = s.role === 'encode';
    const args = new ArgList()
      .opt('--model-path', s.modelPath ?? s.model)
      .opt('--served-model-name', s.model)
      .opt('--extra-engine-args', `${file.mountPath}/${file.fileName}`)
      .flag('--enable-multimodal', s.multimodal !== undefined)
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
    return { command: ['python3', '-m', 'dynamo.trtllm'], args, env, configFiles: [file] };
  }

  /** The `--extra-engine-args` YAML (LLM API keys), deterministic key order. */
  public static engineConfig(s: EngineSettings): string {
    if (s.role === 'encode') {
      // The encoder runs the vision tower only: no KV cache, no scheduling limits of the language model.
      const encoder = { tensor_parallel_size: s.tensorParallel, pipeline_parallel_size: s.pipelineParallel, trust_remote_code: true };
      return stringify(encoder, { lineWidth: 0 });
    }
    const kvCacheConfig = {
      free_gpu_memory_fraction: s.gpuMemoryUtilization ?? EngineMemory.defaultFraction(Backend.TRTLLM, s.tensorParallel),
      ...(s.kvCacheDtype === KvCacheDtype.FP8 ? { dtype: 'fp8' } : {}),
    };
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
      ...(s.role === 'prefill' ? { disable_overlap_scheduler: true } : {}),
      kv_cache_config: kvCacheConfig,
      ...(s.role !== 'aggregated' ? { cache_transceiver_config: { backend: 'DEFAULT' } } : {}),
    };
    return stringify(config, { lineWidth: 0 });
  }
}
