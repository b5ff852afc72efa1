// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool } from '../../src';

/** TensorRT-LLM disaggregated serving: prefill and decode workers exchange KV caches over NIXL. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'trtllm-disagg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'trtllm-disagg', { backend: Backend.TRTLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new DecodePool(graph, 'TRTLLMDecodeWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
  new PrefillPool(graph, 'TRTLLMPrefillWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
