// Users import from 'cdk8s-dynamo'.
import { App, Chart, Size } from 'cdk8s';
import { DynamoGraph, DynamoMonitoring, GpuProfile, ModelCache, Planner, RouterMode, ServingMode } from '../../src';

/**
 * Qwen3-30B-A3B (mixture of experts) served disaggregated on up to 8 H100s, chosen by the SLA optimizer at synth:
 * engine, prefill and decode worker counts, tensor and expert parallelism, batch and length limits. The choice is in
 * the DGD's `sla.cdk8s-dynamo.io/*` annotations and ConfigMap `qwen3-moe-sla-plan`. The Planner then holds the same
 * TTFT/ITL targets within the same 8 GPUs as load changes.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'sla-disagg', { namespace: 'dynamo', disableResourceNameHashes: true });
  const model = 'Qwen/Qwen3-30B-A3B';
  const cache = new ModelCache(chart, 'Models', { model, size: Size.gibibytes(80), hfTokenSecret: { secretName: 'hf-token-secret', key: 'HF_TOKEN' } });
  const graph = DynamoGraph.fromSla(chart, 'qwen3-moe', {
    model,
    gpu: GpuProfile.H100_SXM,
    mode: ServingMode.DISAGGREGATED,
    hardware: { totalGpus: 8 },
    workload: { inputSequenceLength: 2048, outputSequenceLength: 256 },
    sla: { ttftMs: 500, itlMs: 25 },
    envFromSecret: 'hf-token-secret',
    frontend: { routerMode: RouterMode.KV },
    modelCache: cache,
  });
  new Planner(graph, 'Planner');
  new DynamoMonitoring(chart, 'Monitoring', { monitorLabels: { release: 'prometheus' } });
}
