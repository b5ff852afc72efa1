import { Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  Backend, DynamoApiVersion, DynamoGraphDeploymentRequest, GpuInterconnect, GpuProfile, PlannerOptimizationTarget, PlannerSweepMode,
  ProfilingSearchStrategy, SlaOptimizationType,
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

  test('hardware.vramMb is written only when asked for: the operator discovers it otherwise', () => {
    const vramMb = (id: string, hardware: object) =>
      (new DynamoGraphDeploymentRequest(Testing.chart(), id, { model: 'Qwen/Qwen3-0.6B', hardware })._toSpec() as any).hardware?.vramMb;
    expect(vramMb('H100', { gpu: GpuProfile.H100_SXM })).toBeUndefined();
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

describe('DynamoGraphDeploymentRequest, nvidia.com/v1alpha1', () => {
  const base = {
    model: 'Qwen/Qwen3-32B',
    backend: Backend.VLLM,
    apiVersion: DynamoApiVersion.V1ALPHA1,
    sla: { ttftMs: 200, itlMs: 20 },
    workload: { inputSequenceLength: 3000, outputSequenceLength: 150 },
  };

  test('profilingConfig carries the SLA, the sweep, AIConfigurator, the base graph and the job scheduling', () => {
    const chart = Testing.chart();
    new DynamoGraphDeploymentRequest(chart, 'Req', {
      ...base,
      name: 'qwen3-32b',
      hardware: { gpu: GpuProfile.H200_SXM, gpusPerNode: 8 },
      image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.1',
      profiling: {
        maxContextLength: 16384,
        gpusPerEngine: { min: 2, max: 8 },
        prefillGranularity: 16,
        decodeGranularity: 6,
        configurator: { version: '0.20.0', modelName: 'QWEN3_32B' },
        baseGraph: { configMapName: 'qwen-base-dgd' },
        outputClaim: 'profiling-output',
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        extraConfig: { sweep: { force_rerun: true } },
      },
      generatedGraph: { name: 'qwen3-32b-serving', labels: { team: 'llm' }, workersImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.1' },
      mocker: true,
    });
    const objects = Testing.synth(chart);
    expectValid(objects);
    const [request] = objects;
    expect(request.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(request.spec).toEqual({
      model: 'Qwen/Qwen3-32B',
      backend: 'vllm',
      autoApply: true,
      useMocker: true,
      profilingConfig: {
        profilerImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.1',
        config: {
          sla: { isl: 3000, osl: 150, ttft: 200, itl: 20 },
          hardware: { min_num_gpus_per_engine: 2, max_num_gpus_per_engine: 8, num_gpus_per_node: 8 },
          sweep: { use_ai_configurator: true, prefill_interpolation_granularity: 16, decode_interpolation_granularity: 6, force_rerun: true },
          aic: { system: 'h200_sxm', model_name: 'QWEN3_32B', backend_version: '0.20.0' },
          engine: { max_context_length: 16384 },
        },
        configMapRef: { name: 'qwen-base-dgd', key: 'disagg.yaml' },
        outputPVC: 'profiling-output',
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      },
      deploymentOverrides: { name: 'qwen3-32b-serving', labels: { team: 'llm' }, workersImage: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.1.1' },
    });
  });

  test.each([
    [{ modelCache: { pvcName: 'c', modelPath: 'm' } }, /'modelCache' is \["pvcName","modelPath"\]: a nvidia\.com\/v1alpha1 DynamoGraphDeploymentRequest has no field for it\. allowed: unset on nvidia\.com\/v1alpha1/],
    [{ planner: {} }, /'planner' is \[\]: .*allowed: unset on nvidia\.com\/v1alpha1/],
    [{ workload: { requestRate: 4 } }, /'workload\.requestRate' is 4:/],
    [{ hardware: { gpuMemory: Size.gibibytes(80) } }, /'hardware\.gpuMemory'/],
    [{ profiling: { gpusPerEngine: { min: 8, max: 2 } } }, /'profiling\.gpusPerEngine\.max' is 2: allowed: at least gpusPerEngine\.min \(8\)/],
    [{ profiling: { configurator: { version: '0.20.0' } } }, /'profiling\.configurator\.system' is undefined: AIConfigurator needs the system/],
    [{ profiling: { configurator: { version: 'latest', system: GpuProfile.H100_SXM } } }, /'profiling\.configurator\.version' is 'latest'/],
    [{ profiling: { extraConfig: { sla: { ttft: 100 } } } }, /'profiling\.extraConfig\.sla\.ttft' is 100:.*set sla\.ttftMs instead/],
    [{ profiling: { baseGraph: { configMapName: 'Bad_Name' } } }, /'profiling\.baseGraph\.configMapName' is 'Bad_Name'/],
  ] as Array<[object, RegExp]>)('v1alpha1 refuses %j', (props, message) => {
    expect(() => new DynamoGraphDeploymentRequest(Testing.chart(), 'Req', { ...base, ...props })).toThrow(message);
  });

  test('v1beta1 refuses the v1alpha1 props', () => {
    expect(() => new DynamoGraphDeploymentRequest(Testing.chart(), 'Req', { model: 'Qwen/Qwen3-0.6B', profiling: { maxContextLength: 8192 } }))
      .toThrow(/'profiling' is \["maxContextLength"\]: a nvidia\.com\/v1beta1 DynamoGraphDeploymentRequest has no field for it \(it is a nvidia\.com\/v1alpha1 prop\)/);
  });
});
