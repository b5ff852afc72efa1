// Users import from 'cdk8s-dynamo'.
import { App, Chart, Duration } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, DynamoMonitoring, Frontend, GpuProfile, Planner, PrefillPool } from '../../src';

/**
 * vLLM disaggregated serving scaled by the Dynamo Planner: it reads TTFT/ITL from Prometheus (scraped through the
 * PodMonitors below) and resizes both pools through their scaling adapters, within a 16-GPU budget. As upstream, the
 * pools start at 2 prefill + 2 decode workers: the adapters are created once with those counts and the DGD carries
 * none, so GitOps never undoes what the Planner scaled.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'vllm-disagg-planner', { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, 'vllm-disagg-planner', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  const pool = { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM };
  new PrefillPool(graph, 'VllmPrefillWorker', { ...pool, replicas: 2 });
  new DecodePool(graph, 'VllmDecodeWorker', { ...pool, tensorParallel: 2, replicas: 2 });
  new Planner(graph, 'Planner', {
    sla: { ttftMs: 300, itlMs: 20 },
    maxGpuBudget: 16,
    throughputAdjustmentInterval: Duration.minutes(1),
    prometheusEndpoint: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc.cluster.local:9090',
  });
  new DynamoMonitoring(chart, 'Monitoring', { monitorLabels: { release: 'prometheus' } });
}
