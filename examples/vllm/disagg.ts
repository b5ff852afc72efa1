// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool } from '../../src';

/** vLLM disaggregated serving: prefill and decode workers exchange KV caches over NIXL. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-disagg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-disagg', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new DecodePool(graph, 'VllmDecodeWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
  new PrefillPool(graph, 'VllmPrefillWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
