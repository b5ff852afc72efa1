// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DynamoGraphDeploymentRequest, GpuProfile, ProfilingSearchStrategy, SlaOptimizationType } from '../../src';

/**
 * On-cluster profiling instead of the synth-time optimizer: the operator sweeps configurations on real H100s,
 * picks one meeting the SLA and deploys it with the Planner. Weights come from a pre-filled PVC; the operator
 * discovers the GPUs' memory itself.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'dgdr-llama', { namespace: 'dynamo', disableResourceNameHashes: true });
  new DynamoGraphDeploymentRequest(chart, 'Request', {
    name: 'llama-70b',
    model: 'meta-llama/Llama-3.3-70B-Instruct',
    backend: Backend.VLLM,
    sla: { ttftMs: 500, itlMs: 30, optimizationType: SlaOptimizationType.THROUGHPUT },
    workload: { inputSequenceLength: 3000, outputSequenceLength: 300 },
    hardware: { gpu: GpuProfile.H100_SXM, totalGpus: 16, gpusPerNode: 8 },
    modelCache: { pvcName: 'model-cache', modelPath: 'meta-llama/Llama-3.3-70B-Instruct' },
    searchStrategy: ProfilingSearchStrategy.RAPID,
    // The Planner holds the request's SLA within its GPU budget (hardware.totalGpus).
    planner: {},
  });
}
