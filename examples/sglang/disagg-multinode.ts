// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoApiVersion, DynamoGraph, Frontend, GpuProfile, PrefillPool } from '../../src';

/**
 * SGLang disaggregated serving of DeepSeek-R1 (FP8) on H200s, written as `nvidia.com/v1alpha1` for operators older
 * than 1.2: each engine is TP 16 with 16-way expert parallelism over two 8-GPU nodes. The pools set
 * `GLOO_SOCKET_IFNAME=eth0` themselves (torch.distributed bootstrap between the nodes over the pod network).
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sglang-disagg-multinode', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'sglang-disagg-multinode', {
    backend: Backend.SGLANG,
    apiVersion: DynamoApiVersion.V1ALPHA1,
    envFromSecret: 'hf-token-secret',
  });
  new Frontend(graph, 'Frontend');
  const engine = {
    model: 'deepseek-ai/DeepSeek-R1',
    gpu: GpuProfile.H200_SXM,
    tensorParallel: 16,
    expertParallel: 16,
  };
  new DecodePool(graph, 'decode', engine);
  new PrefillPool(graph, 'prefill', engine);
}
