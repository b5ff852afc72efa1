// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import {
  AggregatedPool, Backend, DynamoGraph, DynamoMonitoring, Frontend, GpuProfile, HpaPoolAutoscaler, ScalingMetric, ScalingTarget,
} from '../../src';

/**
 * Aggregated vLLM scaled by HorizontalPodAutoscalers: workers on engine queueing and KV-cache usage (external metrics
 * served by prometheus-adapter; `HpaPoolAutoscaler.prometheusAdapterRules()` prints its rules), the frontend on CPU.
 * The frontend never runs fewer than 2 replicas, so the graph also renders its PodDisruptionBudget.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-agg-hpa', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-agg-hpa', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  const frontend = new Frontend(graph, 'Frontend');
  const workers = new AggregatedPool(graph, 'VllmWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.L40S });
  // kube-prometheus-stack's Prometheus picks up only monitors labelled with its release.
  new DynamoMonitoring(chart, 'Monitoring', { planner: false, monitorLabels: { release: 'prometheus' } });

  new HpaPoolAutoscaler(chart, 'WorkerHpa', {
    target: ScalingTarget.pool(workers),
    maxReplicas: 8,
    metrics: [ScalingMetric.queuedRequests(5), ScalingMetric.kvCacheUsage(85)],
  });
  new HpaPoolAutoscaler(chart, 'FrontendHpa', {
    target: ScalingTarget.pool(frontend),
    minReplicas: 2,
    maxReplicas: 4,
    metrics: [ScalingMetric.cpuUtilization(70)],
  });
}
