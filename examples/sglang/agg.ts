// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, Frontend, GpuProfile } from '../../src';

/** SGLang aggregated serving: one frontend, one worker that runs prefill and decode. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sglang-agg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'sglang-agg', { backend: Backend.SGLANG, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new AggregatedPool(graph, 'decode', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
