// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, Frontend, GpuProfile } from '../../src';

/** TensorRT-LLM aggregated serving: one frontend, one worker that runs prefill and decode. */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'trtllm-agg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'trtllm-agg', { backend: Backend.TRTLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new AggregatedPool(graph, 'TRTLLMWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
