// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, KvCacheDtype, PrefillPool } from '../../src';

/**
 * vLLM disaggregated serving on two GPU types, each phase where it is cheapest (`GpuPriceTable.DEFAULT` prices):
 * prefill is compute-bound and the L40S gives more FP8 TFLOPS per dollar (733 at 1.71 USD/h against the H100's 1979
 * at 5.07: 429 vs 390), decode is bound by memory bandwidth and the H100 gives more of it per dollar (661 vs 505
 * GB/s per USD/h), plus room for the KV cache. Both sides agree on what crosses between them: the model and an FP8 KV cache; Ada and Hopper both run
 * vLLM's FlashAttention backend. Across node types NIXL needs RDMA between the nodes, or falls back to TCP.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-disagg-hetero', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-disagg-hetero', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  const model = 'Qwen/Qwen3-8B';
  new PrefillPool(graph, 'PrefillWorker', { model, gpu: GpuProfile.L40S, kvCacheDtype: KvCacheDtype.FP8, maxModelLen: 32768, replicas: 2 });
  new DecodePool(graph, 'DecodeWorker', { model, gpu: GpuProfile.H100_SXM, kvCacheDtype: KvCacheDtype.FP8, maxModelLen: 32768 });
}
