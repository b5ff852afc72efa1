// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool, Quantization } from '../../src';

/**
 * vLLM disaggregated serving of Llama 3.1 405B in FP8: each engine is TP 8 x PP 2 = 16 H100s, which the pools
 * spread over two 8-GPU nodes (`multinode.nodeCount: 2`).
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-disagg-multinode', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-disagg-multinode', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  const engine = {
    model: 'meta-llama/Meta-Llama-3.1-405B',
    gpu: GpuProfile.H100_SXM,
    quantization: Quantization.FP8,
    tensorParallel: 8,
    pipelineParallel: 2,
  };
  new DecodePool(graph, 'VllmDecodeWorker', engine);
  new PrefillPool(graph, 'VllmPrefillWorker', engine);
}
