// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { DynamoGraph, GpuProfile, HpaPoolAutoscaler, ScalingMetric, ScalingTarget, ServingMode } from '../../src';

/**
 * Qwen3-32B on H200s sized for 8 requests per second of 4k-token prompts: the SLA optimizer picks the engine, the
 * tensor parallelism, the batch and length limits and as few aggregated workers as carry the rate within the
 * targets. An HPA on KV-cache usage (every engine exports it, whichever the optimizer picks) then owns the worker
 * count, starting from the planned one.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sla-agg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = DynamoGraph.fromSla(chart, 'qwen3-32b', {
    model: 'Qwen/Qwen3-32B',
    gpu: GpuProfile.H200_SXM,
    mode: ServingMode.AGGREGATED,
    workload: { inputSequenceLength: 4096, outputSequenceLength: 512, requestRate: 8 },
    sla: { ttftMs: 800, itlMs: 35 },
    envFromSecret: 'hf-token-secret',
  });
  new HpaPoolAutoscaler(chart, 'WorkerHpa', {
    target: ScalingTarget.pool(graph.workerPools[0]),
    minReplicas: graph.plan!.best.aggregated!.workers,
    maxReplicas: 2 * graph.plan!.best.aggregated!.workers,
    metrics: [ScalingMetric.kvCacheUsage(85)],
  });
}
