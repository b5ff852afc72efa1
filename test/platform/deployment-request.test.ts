import { Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  Backend, DynamoGraphDeploymentRequest, GpuInterconnect, GpuProfile, PlannerOptimizationTarget, PlannerSweepMode, ProfilingSearchStrategy,
  SlaOptimizationType,
} from '../../src';
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
      workload: { inputSequenceLength: 2048, outputSequenceLength: 512, requestRate: 12.5 },
      hardware: {
        gpu: GpuProfile.H100_SXM, totalGpus: 16, gpusPerNode: 8, gpuMemory: Size.mebibytes(81559), interconnect: GpuInterconnect.NVLINK, rdma: true,
      },
      modelCache: { pvcName: 'model-cache', modelPath: 'models/llama-70b' },
      searchStrategy: ProfilingSearchStrategy.THOROUGH,
      autoApply: false,
      mocker: true,
      planner: { optimizationTarget: PlannerOptimizationTarget.SLA, sla: { ttftMs: 400, itlMs: 25 }, maxGpuBudget: 16 },
      profilingJobOverrides: {
        backoffLimit: 1,
        template: {
          spec: {
            containers: [{ name: 'profiler', resources: { limits: { 'nvidia.com/gpu': k8s.Quantity.fromNumber(1) } } }],
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          },
        },
      },
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
    // The typed JobSpec renders as the Kubernetes JSON, extended resources included.
    expect(spec.overrides.profilingJob).toEqual({
      backoffLimit: 1,
      template: {
        spec: {
          containers: [{ name: 'profiler', resources: { limits: { 'nvidia.com/gpu': 1 } } }],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
    });
    expect(objects).toMatchSnapshot();
    expectValid(objects);
  });

  test('hardware.vramMb comes from the GPU profile unless gpuMemory overrides it, and is left to discovery without a GPU', () => {
    const vramMb = (id: string, hardware: object) =>
      (new DynamoGraphDeploymentRequest(Testing.chart(), id, { model: 'Qwen/Qwen3-0.6B', hardware })._toSpec() as any).hardware?.vramMb;
    expect(vramMb('H100', { gpu: GpuProfile.H100_SXM })).toBe(81920);
    // The usable 44.99 GiB the profile records, in whole MiB (the CRD field is MiB; rounding up would promise memory).
    expect(vramMb('L40S', { gpu: GpuProfile.L40S })).toBe(46069);
    for (const gpu of GpuProfile.all().filter(g => g.dynamoGpuSku !== undefined)) {
      const mib = vramMb(`All-${gpu.name}`, { gpu });
      expect([gpu.name, Number.isInteger(mib), gpu.memoryGiB * 1024 - mib >= 0 && gpu.memoryGiB * 1024 - mib < 1]).toEqual([gpu.name, true, true]);
    }
    expect(vramMb('Override', { gpu: GpuProfile.H100_SXM, gpuMemory: Size.mebibytes(81559) })).toBe(81559);
    expect(vramMb('OverrideOnly', { gpuMemory: Size.gibibytes(80) })).toBe(81920);
    expect(vramMb('Discovered', { totalGpus: 8 })).toBeUndefined();
  });

  test('without a name, the request gets the chart\'s generated name (the API server requires one)', () => {
    const chart = Testing.chart();
    const request = new DynamoGraphDeploymentRequest(chart, 'Req', { model: 'Qwen/Qwen3-0.6B' });
    const [object] = Testing.synth(chart);
    expect(object.metadata.name).toBe(request.name);
    expect(request.name).toMatch(/^test-req-[0-9a-f]{8}$/);
    expectValid([object]);
  });

  // operator-facts §7: `features.planner` is the raw PlannerConfig, passed through to the Planner (§6 keys only); the
  // profiling job performs the pre-deployment sweep, so the Planner's own sweep default applies unless one is asked for.
  test('planner: SLA targets and GPU budget carry over, the sweep is left to the profiler', () => {
    const chart = Testing.chart();
    const request = (id: string, extra: object) => new DynamoGraphDeploymentRequest(chart, id, {
      model: 'Qwen/Qwen3-32B',
      backend: Backend.VLLM,
      sla: { ttftMs: 250, itlMs: 15 },
      hardware: { totalGpus: 24 },
      ...extra,
    });
    const planner = (r: DynamoGraphDeploymentRequest) => (r._toSpec() as any).features.planner;
    expect(planner(request('Defaults', { planner: {} }))).toEqual({
      environment: 'kubernetes',
      backend: 'vllm',
      optimization_target: 'sla',
      ttft_ms: 250,
      itl_ms: 15,
      enable_throughput_scaling: true,
      enable_load_scaling: true,
      throughput_adjustment_interval_seconds: 60,
      load_adjustment_interval_seconds: 5,
      min_endpoint: 1,
      max_gpu_budget: 24,
    });
    const explicit = planner(request('Explicit', { planner: { sla: { ttftMs: 400, itlMs: 40 }, maxGpuBudget: 16, sweepMode: PlannerSweepMode.THOROUGH } }));
    expect(explicit).toMatchObject({ ttft_ms: 400, itl_ms: 40, max_gpu_budget: 16, pre_deployment_sweeping_mode: 'thorough' });
    // Each target falls back on its own: the Planner's ITL, the request's TTFT.
    expect(planner(request('Partial', { planner: { sla: { itlMs: 40 } } }))).toMatchObject({ ttft_ms: 250, itl_ms: 40 });
    // Without SLA or hardware the Planner's own defaults apply (budget 8), and the budget checks use them.
    const bare = new DynamoGraphDeploymentRequest(chart, 'Bare', { model: 'Qwen/Qwen3-0.6B', planner: {} });
    expect(planner(bare)).toMatchObject({ max_gpu_budget: 8 });
    expect(planner(bare)).not.toHaveProperty('ttft_ms');
    expect(planner(bare)).not.toHaveProperty('backend');
    expect(() => request('TooSmall', { planner: { minGpuBudget: 25 } })).toThrow(/'planner\.minGpuBudget' is 25: allowed: at most maxGpuBudget \(24\)/);
    expectValid(Testing.synth(chart));
  });

  test('bad input names the prop, the value and what is allowed', () => {
    const chart = Testing.chart();
    const make = (id: string, extra: object) => () => new DynamoGraphDeploymentRequest(chart, id, { model: 'Qwen/Qwen3-0.6B', ...extra });
    expect(make('A', { sla: { ttftMs: 100, e2eLatencyMs: 2000 } })).toThrow(/\[test\/A\] 'sla\.e2eLatencyMs' is 2000: the end-to-end target replaces the TTFT and ITL targets\. allowed: either e2eLatencyMs or ttftMs\/itlMs/);
    expect(make('B', { workload: { concurrency: 8, requestRate: 2 } })).toThrow(/'workload\.requestRate' is 2/);
    expect(make('C', { workload: { inputSequenceLength: 10.5 } })).toThrow(/'workload\.inputSequenceLength' is 10\.5: allowed: a whole number >= 1/);
    expect(make('D', { hardware: { gpu: GpuProfile.A10G } })).toThrow(/'hardware\.gpu' is 'a10g': the Dynamo profiler has no GPU SKU for it\. allowed: .*h100-sxm/);
    expect(make('E', { image: 'registry.local/planner:latest' })).toThrow(/'runtimeVersionOverride' is undefined/);
    expect(make('F', { modelCache: { pvcName: 'cache', modelPath: '/abs' } })).toThrow(/'modelCache\.modelPath' is '\/abs'/);
    expect(make('G', { planner: { sla: { ttftMs: -1 } } })).toThrow(/\[test\/G\] 'planner\.sla\.ttftMs' is -1: allowed: a positive number of milliseconds/);
    expect(make('H', { model: '' })).toThrow(/'model' is '':/);
    expect(make('I', { sla: { itlMs: 0 } })).toThrow(/'sla\.itlMs' is 0/);
    expect(make('J', { hardware: { gpuMemory: Size.kibibytes(1536) } })).toThrow(/\[test\/J\] 'hardware\.gpuMemory' is '1536Ki': allowed: a whole number of MiB, at least 1Mi/);
    // operator-facts §7 / DGDR CRD: overrides.dgd names its version.
    expect(make('K', { graphOverrides: { spec: { components: [] } } })).toThrow(
      /'graphOverrides' is 'undefined undefined': the profiler merges the override with the schema of the version it names\. allowed: apiVersion nvidia\.com\/v1alpha1 or nvidia\.com\/v1beta1/);
    expect(() => make('L', { graphOverrides: { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeployment', spec: {} } })()).not.toThrow();
  });
});
