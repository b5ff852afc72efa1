// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool, RouterMode } from '../../src';

/** TensorRT-LLM disaggregated serving with the KV-aware router in front of two decode workers. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'trtllm-disagg-router', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'trtllm-disagg-router', { backend: Backend.TRTLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend', { routerMode: RouterMode.KV });
  new DecodePool(graph, 'TRTLLMDecodeWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, replicas: 2 });
  new PrefillPool(graph, 'TRTLLMPrefillWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
