import { ArgList } from './arg-list';
import { EngineCommand, EngineSettings } from './engine-settings';
import { QuantizationFlags } from './quantization-flags';
import { KvCacheDtype } from '../model/precision';

/** NIXL moves KV blocks between prefill and decode; both sides need the connector. */
const NIXL_KV_TRANSFER = JSON.stringify({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });

/** ZMQ publisher the Dynamo KV router subscribes to (upstream port 20080). */
const KV_EVENTS = JSON.stringify({ publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:20080', enable_kv_cache_events: true });

/** LoRA ranks vLLM accepts for `--max-lora-rank`. */
export const VLLM_LORA_RANKS: readonly number[] = [1, 8, 16, 32, 64, 128, 256, 320, 512];

/**
 * `python3 -m dynamo.vllm` command line.
 * @internal
 */
export class VllmCommand {
  public static render(s: EngineSettings): EngineCommand {
    const args = new ArgList()
      .opt('--model', s.modelPath ?? s.model)
      .opt('--served-model-name', s.modelPath ? s.model : undefined)
      .opt('--tensor-parallel-size', s.tensorParallel)
      .opt('--pipeline-parallel-size', s.pipelineParallel > 1 ? s.pipelineParallel : undefined)
      .opt('--data-parallel-size', s.dataParallel > 1 ? s.dataParallel : undefined)
      // vLLM's expert-parallel group is TP x DP; validation pins expertParallel to that.
      .flag('--enable-expert-parallel', s.expertParallel > 1)
      .opt('--max-num-seqs', s.maxBatchSize)
      .opt('--max-num-batched-tokens', s.maxNumBatchedTokens)
      .opt('--max-model-len', s.maxModelLen)
      .opt('--kv-cache-dtype', s.kvCacheDtype === KvCacheDtype.FP8 ? 'fp8' : undefined)
      .opt('--quantization', s.quantization ? QuantizationFlags.method(s.quantization) : undefined)
      .opt('--gpu-memory-utilization', s.gpuMemoryUtilization)
      .opt('--disaggregation-mode', s.role === 'aggregated' ? undefined : s.role)
      .opt('--kv-transfer-config', s.disaggregated ? NIXL_KV_TRANSFER : undefined)
      .opt('--kv-events-config', s.kvEvents ? KV_EVENTS : undefined)
      .flag('--enable-lora', !!s.lora)
      .opt('--max-lora-rank', s.lora?.maxRank)
      .toArray();
    return { command: ['python3', '-m', 'dynamo.vllm'], args, env: [], configFiles: [] };
  }
}
