import { IConstruct } from 'constructs';
import { ArgList } from './arg-list';
import { Backend } from './backend';
import { EngineCommand, EngineSettings } from './engine-settings';
import { MultimodalPattern } from './multimodal';
import { QuantizationFlags } from './quantization-flags';
import { PropError } from '../common/errors';
import { KvCacheDtype } from '../model/precision';

/** ZMQ publisher the Dynamo KV router subscribes to (upstream port 5557). */
const KV_EVENTS = JSON.stringify({ publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:5557' });

/** Port the decode side uses to reach the prefill side's bootstrap server, unless `bootstrapPort` says otherwise. */
const SGLANG_BOOTSTRAP_PORT = 12345;
/** Ports a worker pod already listens on: the system port (health, metrics), NIXL metrics, KV events. */
const WORKER_PORTS: { readonly [port: number]: string } = { 9090: 'the system port', 19090: 'the NIXL metrics port', 5557: 'the KV-event publisher' };

/**
 * `python3 -m dynamo.sglang` command line.
 * @internal
 */
export class SglangCommand {
  /** Checks `bootstrapPort`: SGLang's, disaggregated pools only, an unprivileged port the pod does not use already. */
  public static checkBootstrapPort(s: EngineSettings, scope: IConstruct | string): void {
    const port = s.bootstrapPort;
    if (port === undefined) return;
    PropError.check(s.backend === Backend.SGLANG && s.disaggregated, scope, 'bootstrapPort', port,
      'unset unless the pool is an SGLang PrefillPool or DecodePool', `only SGLang's disaggregated engines run a bootstrap server (backend ${s.backend}, role ${s.role})`);
    PropError.integer(scope, 'bootstrapPort', port, 1024, 65535);
    const taken = WORKER_PORTS[port];
    PropError.check(taken === undefined, scope, 'bootstrapPort', port, `a port other than ${Object.keys(WORKER_PORTS).join(', ')}`, `${port} is ${taken} of every worker pod`);
  }

  /** SGLang's encode worker applies the chat template itself; Qwen2-VL and Qwen2.5-VL need SGLang's `qwen2-vl`. */
  public static defaultChatTemplate(model: string): string | undefined {
    return /qwen2(\.5)?-vl/i.test(model) ? 'qwen2-vl' : undefined;
  }

  public static render(s: EngineSettings): EngineCommand {
    const mm = s.multimodal;
    const pattern = mm?.pattern;
    const encode = s.role === 'encode';
    // Workers fed embeddings by a separate encode worker (SGLang's E/P/D is decode-first: both prefill and decode take them).
    const dedicatedEncoder = (pattern === MultimodalPattern.E_PD && s.role === 'aggregated') || (pattern === MultimodalPattern.E_P_D && s.disaggregated);
    const mode = encode ? 'encode' : s.disaggregated ? s.role : dedicatedEncoder ? 'pd' : undefined;
    // The worker that first sees embeddings from the encoder cannot reuse cached prefixes of image tokens.
    const noRadix = dedicatedEncoder && s.role !== 'decode';
    const args = new ArgList()
      .opt('--model-path', s.modelPath ?? s.model)
      .opt('--served-model-name', s.model)
      // Dynamo's KV router and block accounting assume 16-token pages; Dynamo tokenizes in the frontend.
      .opt('--page-size', 16)
      .opt('--tp-size', s.tensorParallel)
      .opt('--pp-size', s.pipelineParallel > 1 ? s.pipelineParallel : undefined)
      // SGLang DP shares the TP ranks (DP attention), so it adds no GPUs.
      .opt('--dp-size', s.dataParallel > 1 ? s.dataParallel : undefined)
      .flag('--enable-dp-attention', s.dataParallel > 1)
      .opt('--ep-size', s.expertParallel > 1 ? s.expertParallel : undefined)
      .flag('--trust-remote-code')
      .flag('--skip-tokenizer-init')
      .opt('--max-running-requests', s.maxBatchSize)
      .opt('--chunked-prefill-size', s.maxNumBatchedTokens)
      .opt('--context-length', s.maxModelLen)
      .opt('--kv-cache-dtype', s.kvCacheDtype === KvCacheDtype.FP8 ? 'fp8_e4m3' : undefined)
      .opt('--quantization', s.quantization ? QuantizationFlags.method(s.quantization) : undefined)
      .opt('--mem-fraction-static', s.gpuMemoryUtilization)
      .flag('--enable-multimodal', mm !== undefined)
      .flag('--dedicated-mm-encoder', dedicatedEncoder)
      .opt('--chat-template', mm?.chatTemplate ?? (encode ? SglangCommand.defaultChatTemplate(s.model) : undefined))
      .flag('--disable-radix-cache', noRadix)
      .opt('--multimodal-embedding-cache-capacity-gb', mm?.embeddingCacheGiB)
      .opt('--disaggregation-mode', mode)
      .opt('--disaggregation-transfer-backend', s.disaggregated || dedicatedEncoder ? 'nixl' : undefined)
      .opt('--disaggregation-bootstrap-port', s.disaggregated ? s.bootstrapPort ?? SGLANG_BOOTSTRAP_PORT : undefined)
      // The bootstrap server must listen on the pod IP, not loopback.
      .opt('--host', s.disaggregated ? '0.0.0.0' : undefined)
      .opt('--kv-events-config', s.kvEvents && !encode ? KV_EVENTS : undefined)
      // SGLang exports its Prometheus metrics (queue, KV usage, TTFT) only with this flag; autoscaling and dashboards read them.
      .flag('--enable-metrics')
      .flag('--enable-lora', !!s.lora)
      // Adapters arrive at run time (DynamoModel), so SGLang must size its LoRA buffers for any rank and module up front.
      .opt('--max-lora-rank', s.lora?.maxRank)
      .opt('--lora-target-modules', s.lora ? 'all' : undefined)
      .toArray();
    // torch.distributed's Gloo picks the first interface otherwise, which is not always the pod network.
    const env = s.nodeCount > 1 ? [{ name: 'GLOO_SOCKET_IFNAME', value: 'eth0' }] : [];
    return { command: ['python3', '-m', 'dynamo.sglang'], args, env, configFiles: [] };
  }
}
