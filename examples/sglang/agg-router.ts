// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, Frontend, GpuProfile, RouterMode } from '../../src';

/** SGLang aggregated serving with the KV-aware router: workers publish KV events, the frontend routes by cache overlap. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sglang-agg-router', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'sglang-agg-router', { backend: Backend.SGLANG, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend', { routerMode: RouterMode.KV });
  new AggregatedPool(graph, 'decode', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, replicas: 2 });
}
