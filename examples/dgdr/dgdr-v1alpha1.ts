// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DynamoApiVersion, DynamoGraphDeploymentRequest, GpuProfile } from '../../src';

/**
 * The deprecated `nvidia.com/v1alpha1` request, for operators before 1.2: AIConfigurator estimates Qwen3-32B on
 * H200s for TP 2 to 8 engines instead of measuring, starting from a base graph kept in a ConfigMap, and writes every
 * profiling artifact to a claim. The graph it deploys is named `qwen3-32b` and runs the 1.1.1 vLLM runtime.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'dgdr-v1alpha1', { namespace: 'dynamo', disableResourceNameHashes: true });
  new DynamoGraphDeploymentRequest(chart, 'Request', {
    apiVersion: DynamoApiVersion.V1ALPHA1,
    name: 'qwen3-32b-sla',
    model: 'Qwen/Qwen3-32B',
    backend: Backend.VLLM,
    image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.1',
    sla: { ttftMs: 200, itlMs: 20 },
    workload: { inputSequenceLength: 3000, outputSequenceLength: 150 },
    hardware: { gpu: GpuProfile.H200_SXM, gpusPerNode: 8 },
    profiling: {
      maxContextLength: 16384,
      gpusPerEngine: { min: 2, max: 8 },
      prefillGranularity: 16,
      decodeGranularity: 6,
      configurator: { version: '0.20.0', modelName: 'QWEN3_32B' },
      baseGraph: { configMapName: 'qwen3-32b-base-graph' },
      outputClaim: 'profiling-output',
    },
    generatedGraph: { name: 'qwen3-32b', workersImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.1' },
  });
}
