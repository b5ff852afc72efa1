import { ArgList } from './arg-list';
import { EngineCommand, EngineSettings } from './engine-settings';
import { MultimodalPattern } from './multimodal';
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
    const mm = s.multimodal;
    const pattern = mm?.pattern;
    // The worker that calls the encoder: the PD worker of E/PD, the prefill worker of E/P/D (vLLM is prefill-first).
    const routesToEncoder = (pattern === MultimodalPattern.E_PD && s.role === 'aggregated') || (pattern === MultimodalPattern.E_P_D && s.role === 'prefill');
    // Workers that take embeddings instead of images: the one fed by the encoder, and every decode worker.
    const mmEmbeds = mm !== undefined && (routesToEncoder || s.role === 'decode');
    const mode = s.role === 'aggregated' ? (routesToEncoder ? 'pd' : undefined) : s.role;
    // In E/P/D the encoder writes embeddings through the same NIXL connector as the KV hand-off.
    const kvTransfer = s.disaggregated || (s.role === 'encode' && pattern === MultimodalPattern.E_P_D);
    const encode = s.role === 'encode';
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
      .flag('--enable-multimodal', mm !== undefined)
      .opt('--disaggregation-mode', mode)
      .flag('--route-to-encoder', routesToEncoder)
      .flag('--enable-mm-embeds', mmEmbeds)
      .opt('--limit-mm-per-prompt', mm?.maxImagesPerPrompt !== undefined ? JSON.stringify({ image: mm.maxImagesPerPrompt }) : undefined)
      .opt('--multimodal-embedding-cache-capacity-gb', mm?.embeddingCacheGiB)
      .opt('--kv-transfer-config', kvTransfer ? NIXL_KV_TRANSFER : undefined)
      // An encoder holds no KV cache to publish.
      .opt('--kv-events-config', s.kvEvents && !encode ? KV_EVENTS : undefined)
      .flag('--enable-lora', !!s.lora)
      .opt('--max-lora-rank', s.lora?.maxRank)
      .toArray();
    // Upstream's encode launchers run the encoder on vLLM's V1 model runner.
    const env = encode ? [{ name: 'VLLM_USE_V2_MODEL_RUNNER', value: '0' }] : [];
    return { command: ['python3', '-m', 'dynamo.vllm'], args, env, configFiles: [] };
  }
}
