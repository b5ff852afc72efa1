import { Testing } from 'cdk8s';
import { Backend, DynamoGraphDeploymentRequest, GpuInterconnect, GpuProfile, PlannerOptimizationTarget, ProfilingSearchStrategy, SlaOptimizationType } from '../../src';
import { expectValid } from '../support/validate';

describe('DynamoGraphDeploymentRequest', () => {
  test('defaults: only the model, the profiling image and the upstream defaults made explicit', () => {
    const chart = Testing.chart();
    new DynamoGraphDeploymentRequest(chart, 'Req', { model: 'Qwen/Qwen3-0.6B', name: 'qwen', namespace: 'llm' });
    const objects = Testing.synth(chart);
    expect(objects).toEqual([{
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeploymentRequest',
      metadata: { name: 'qwen', namespace: 'llm' },
      spec: { model: 'Qwen/Qwen3-0.6B', backend: 'auto', image: 'nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.3.0', searchStrategy: 'rapid', autoApply: true },
    }]);
    expectValid(objects);
  });

  test('everything typed maps to the v1beta1 fields', () => {
    const chart = Testing.chart();
    new DynamoGraphDeploymentRequest(chart, 'Req', {
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      backend: Backend.SGLANG,
      name: 'llama',
      namespace: 'llm',
      image: 'registry.local/dynamo-planner:nightly',
      runtimeVersionOverride: '1.4.0',
      sla: { ttftMs: 400, itlMs: 25, optimizationType: SlaOptimizationType.THROUGHPUT },
      workload: { inputTokens: 2048, outputTokens: 512, requestRate: 12.5 },
      hardware: { gpu: GpuProfile.H100_SXM, totalGpus: 16, gpusPerNode: 8, vramMb: 81559, interconnect: GpuInterconnect.NVLINK, rdma: true },
      modelCache: { pvcName: 'model-cache', modelPath: 'models/llama-70b' },
      searchStrategy: ProfilingSearchStrategy.THOROUGH,
      autoApply: false,
      mocker: true,
      planner: { optimizationTarget: PlannerOptimizationTarget.SLA, ttftMs: 400, itlMs: 25, maxGpuBudget: 16 },
      profilingJobOverrides: { backoffLimit: 1, template: { spec: { containers: [{ name: 'profiler' }], tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } } },
    });
    const objects = Testing.synth(chart);
    const spec = objects[0].spec;
    expect(spec.hardware).toEqual({ gpuSku: 'h100_sxm', totalGpus: 16, numGpusPerNode: 8, vramMb: 81559, interconnect: 'nvlink', rdma: true });
    expect(spec.workload).toEqual({ isl: 2048, osl: 512, requestRate: 12.5 });
    expect(spec.sla).toEqual({ ttft: 400, itl: 25, optimizationType: 'throughput' });
    expect(spec.modelCache).toEqual({ pvcName: 'model-cache', pvcModelPath: 'models/llama-70b', pvcMountPath: '/opt/model-cache' });
    expect(spec.features.planner).toMatchObject({ environment: 'kubernetes', backend: 'sglang', ttft_ms: 400, itl_ms: 25, max_gpu_budget: 16 });
    expect(spec.features.mocker).toEqual({ enabled: true });
    expect(spec.runtimeVersionOverride).toBe('1.4.0');
    expect(objects).toMatchSnapshot();
    expectValid(objects);
  });

  test('bad input names the prop, the value and what is allowed', () => {
    const chart = Testing.chart();
    const make = (id: string, extra: object) => () => new DynamoGraphDeploymentRequest(chart, id, { model: 'Qwen/Qwen3-0.6B', ...extra });
    expect(make('A', { sla: { ttftMs: 100, e2eLatencyMs: 2000 } })).toThrow(/\[test\/A\] 'sla\.e2eLatencyMs' is 2000: the end-to-end target replaces the TTFT and ITL targets\. allowed: either e2eLatencyMs or ttftMs\/itlMs/);
    expect(make('B', { workload: { concurrency: 8, requestRate: 2 } })).toThrow(/'workload\.requestRate' is 2/);
    expect(make('C', { workload: { inputTokens: 10.5 } })).toThrow(/'workload\.inputTokens' is 10\.5: allowed: a whole number >= 1/);
    expect(make('D', { hardware: { gpu: GpuProfile.A10G } })).toThrow(/'hardware\.gpu' is 'a10g': the Dynamo profiler has no GPU SKU for it\. allowed: .*h100-sxm/);
    expect(make('E', { image: 'registry.local/planner:latest' })).toThrow(/'runtimeVersionOverride' is undefined/);
    expect(make('F', { modelCache: { pvcName: 'cache', modelPath: '/abs' } })).toThrow(/'modelCache\.modelPath' is '\/abs'/);
    expect(make('G', { planner: { ttftMs: -1 } })).toThrow(/'planner\.ttftMs' is -1/);
    expect(make('H', { model: '' })).toThrow(/'model' is '':/);
    expect(make('I', { sla: { itlMs: 0 } })).toThrow(/'sla\.itlMs' is 0/);
  });
});
