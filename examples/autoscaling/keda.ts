// Users import from 'cdk8s-dynamo'.
import { App, Chart, Duration } from 'cdk8s';
import {
  Backend, DecodePool, DynamoGraph, DynamoMonitoring, Frontend, GpuProfile, KedaPoolAutoscaler, PrefillPool, ScalingMetric, ScalingTarget,
} from '../../src';

/**
 * Disaggregated SGLang scaled by KEDA instead of the Planner: decode on KV-cache pressure and queueing, prefill on
 * TTFT and the frontend's dispatch queue. The PodMonitors label every series with its graph and pool, which the
 * queries filter on.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sglang-disagg-keda', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'sglang-disagg-keda', { backend: Backend.SGLANG, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  const pool = { model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM };
  const prefill = new PrefillPool(graph, 'Prefill', pool);
  const decode = new DecodePool(graph, 'Decode', pool);
  new DynamoMonitoring(chart, 'Monitoring', { monitorLabels: { release: 'prometheus' } });

  new KedaPoolAutoscaler(chart, 'DecodeScaler', {
    target: ScalingTarget.pool(decode),
    maxReplicas: 6,
    metrics: [ScalingMetric.kvCacheUsage(80), ScalingMetric.queuedRequests(4)],
    scaleDownStabilization: Duration.minutes(10),
  });
  new KedaPoolAutoscaler(chart, 'PrefillScaler', {
    target: ScalingTarget.pool(prefill),
    maxReplicas: 4,
    metrics: [ScalingMetric.ttft(500), ScalingMetric.dispatchQueue(2)],
    scaleDownStabilization: Duration.minutes(10),
  });
}
