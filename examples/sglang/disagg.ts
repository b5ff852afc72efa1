// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool } from '../../src';

/** SGLang disaggregated serving: prefill and decode workers exchange KV caches over NIXL (bootstrap port 12345). */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sglang-disagg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'sglang-disagg', { backend: Backend.SGLANG, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new DecodePool(graph, 'decode', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
  new PrefillPool(graph, 'prefill', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
