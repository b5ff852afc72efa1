// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, Frontend, GpuProfile, RouterMode } from '../../src';

/** vLLM aggregated serving with the KV-aware router: workers publish KV events, the frontend routes by cache overlap. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-agg-router', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-agg-router', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend', { routerMode: RouterMode.KV });
  new AggregatedPool(graph, 'VllmWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, replicas: 2 });
}
