import { stringify } from 'yaml';
import { ArgList } from './arg-list';
import { Backend } from './backend';
import { EngineMemory } from './engine-memory';
import { EngineCommand, EngineSettings } from './engine-settings';
import { KvCacheDtype } from '../model/precision';

/** Where the pool mounts the engine ConfigMap. */
const TRTLLM_CONFIG_DIR = '/etc/dynamo/trtllm';

/** Upstream names the files after the role. */
const FILE_NAME = { aggregated: 'agg.yaml', prefill: 'prefill.yaml', decode: 'decode.yaml' } as const;

/**
 * `python3 -m dynamo.trtllm` command line. TRT-LLM reads its engine settings from an `--extra-engine-args` YAML,
 * which is rendered here and mounted by the graph; quantization comes from the checkpoint (ModelOpt configs).
 * @internal
 */
export class TrtllmCommand {
  public static render(s: EngineSettings): EngineCommand {
    const file = { fileName: FILE_NAME[s.role], mountPath: TRTLLM_CONFIG_DIR, content: TrtllmCommand.engineConfig(s) };
    const args = new ArgList()
      .opt('--model-path', s.modelPath ?? s.model)
      .opt('--served-model-name', s.model)
      .opt('--extra-engine-args', `${file.mountPath}/${file.fileName}`)
      .opt('--disaggregation-mode', s.role === 'aggregated' ? undefined : s.role)
      // Without it TRT-LLM exports no engine metrics (autoscaling and dashboards read them); the KV events it also
      // publishes are simply unused when the frontend does not route by KV.
      .flag('--publish-events-and-metrics')
      .toArray();
    // The operator launches multinode TRT-LLM through mpirun, and the runtime images run as root.
    const env = s.nodeCount > 1
      ? [{ name: 'OMPI_ALLOW_RUN_AS_ROOT', value: '1' }, { name: 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM', value: '1' }]
      : [];
    return { command: ['python3', '-m', 'dynamo.trtllm'], args, env, configFiles: [file] };
  }

  /** The `--extra-engine-args` YAML (LLM API keys), deterministic key order. */
  public static engineConfig(s: EngineSettings): string {
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
