// Users import from 'cdk8s-dynamo'.
import { App, Chart, Size } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, ModelCache, PrefillPool } from '../../src';

/**
 * TensorRT-LLM disaggregated serving of Qwen3-235B-A22B (FP8) with a shared model cache: the weights are downloaded
 * once into a ReadWriteMany volume that every node mounts. Prefill engines are TP 8 over two nodes (4 GPUs each),
 * decode engines TP 16 over two full 8-GPU nodes.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'trtllm-disagg-multinode', { namespace: 'dynamo', disableResourceNameHashes: true });
  const model = 'Qwen/Qwen3-235B-A22B-FP8';
  const cache = new ModelCache(chart, 'models', {
    model,
    size: Size.gibibytes(300),
    hfTokenSecret: { secretName: 'hf-token-secret', key: 'HF_TOKEN' },
  });
  const graph = new DynamoGraph(chart, 'trtllm-disagg-multinode', { backend: Backend.TRTLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new PrefillPool(graph, 'TRTLLMPrefillWorker', { model, modelCache: cache, gpu: GpuProfile.H100_SXM, tensorParallel: 8, nodeCount: 2 });
  new DecodePool(graph, 'TRTLLMDecodeWorker', { model, modelCache: cache, gpu: GpuProfile.H100_SXM, tensorParallel: 16 });
}
