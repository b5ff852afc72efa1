import { Duration, Testing } from 'cdk8s';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, DynamoGraphDeploymentRequest, DynamoPlatform, Frontend, GpuProfile,
  HpaPoolAutoscaler, KedaPoolAutoscaler, OperatorScope, Planner, PlannerLoadPredictor, PlannerMode, PlannerProfilingData, PlannerProps, PlannerRbac,
  PlannerSweepMode, PrefillPool, ScalingMetric, ScalingTarget, ServingMode,
} from '../../src';
import { disaggGraph } from '../autoscaling/fixtures';
import { convertV1Alpha1Spec, normalizeV1Beta1 } from '../graph/convert-v1alpha1';
import { expectValid } from '../support/validate';

const component = (objects: any[], name: string) => objects.find((o: any) => o.kind === 'DynamoGraphDeployment').spec.components.find((c: any) => c.name === name);
const configOf = (objects: any[]) => JSON.parse(component(objects, 'Planner').podTemplate.spec.containers[0].args[1]);

describe('Planner', () => {
  test('disaggregated graph: planner component with its --config from typed props and the graph', () => {
    const { chart, graph } = disaggGraph();
    new Planner(graph, 'Planner', {
      sla: { ttftMs: 300, itlMs: 20 },
      maxGpuBudget: 16,
      minEndpoints: 1,
      throughputAdjustmentInterval: Duration.minutes(3),
      loadPredictor: PlannerLoadPredictor.KALMAN,
      prometheusEndpoint: 'http://prometheus.monitoring.svc:9090',
    });
    const objects = Testing.synth(chart);
    const planner = component(objects, 'Planner');
    expect(planner.type).toBe('planner');
    const main = planner.podTemplate.spec.containers[0];
    expect(main.image).toBe('nvcr.io/nvidia/ai-dynamo/dynamo-planner:1.3.0');
    expect(main.command).toEqual(['python3', '-m', 'dynamo.planner']);
    expect(main.args[0]).toBe('--config');
    expect(configOf(objects)).toEqual({
      environment: 'kubernetes',
      backend: 'vllm',
      mode: 'disagg',
      optimization_target: 'sla',
      ttft_ms: 300,
      itl_ms: 20,
      enable_throughput_scaling: true,
      enable_load_scaling: true,
      pre_deployment_sweeping_mode: 'none',
      throughput_adjustment_interval_seconds: 180,
      load_adjustment_interval_seconds: 5,
      min_endpoint: 1,
      max_gpu_budget: 16,
      prefill_engine_num_gpu: 1,
      decode_engine_num_gpu: 2,
      load_predictor: 'kalman',
      metric_pulling_prometheus_endpoint: 'http://prometheus.monitoring.svc:9090',
    });
    // Cluster-wide operator: it creates the ServiceAccount and RoleBinding itself.
    expect(objects.filter((o: any) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind))).toEqual([]);
    expect(graph.node.validate()).toEqual([]);
    expect(planner).toMatchSnapshot();
    expectValid(objects);
  });

  test('restricted operator: SA, Role and RoleBinding rendered once per namespace, with exactly the planner rules', () => {
    const { chart, graph } = disaggGraph();
    new Planner(graph, 'Planner', { rbac: PlannerRbac.RENDERED, maxGpuBudget: 8 });
    const g2 = new DynamoGraph(chart, 'other', { backend: Backend.VLLM, namespace: 'llm' });
    new Frontend(g2, 'Frontend');
    new AggregatedPool(g2, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.L40S });
    new Planner(g2, 'Planner', { rbac: PlannerRbac.RENDERED });
    const objects = Testing.synth(chart);
    const rbac = objects.filter((o: any) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind));
    expect(rbac.map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/llm/planner-serviceaccount', 'Role/llm/planner-role', 'RoleBinding/llm/planner-binding',
    ]);
    const rules = rbac[1].rules;
    expect(rules.flatMap((r: any) => r.verbs)).not.toContain('*');
    expect(rules.flatMap((r: any) => r.resources)).toEqual(expect.arrayContaining([
      'dynamographdeployments', 'dynamocomponentdeployments', 'dynamographdeploymentscalingadapters/scale', 'endpointslices', 'dynamoworkermetadatas',
    ]));
    expect(configOf(objects.filter((o: any) => o.metadata.name === 'other')).mode).toBe('agg');
    expect(rbac).toMatchSnapshot();
    expectValid(objects);
  });

  test('GPU budget must cover the pools at their minimum', () => {
    const { graph } = disaggGraph();
    const planner = new Planner(graph, 'Planner', { maxGpuBudget: 4, minEndpoints: 2 });
    expect(planner.node.validate()).toEqual([
      expect.stringMatching(/\[test\/qwen\/Planner\] 'maxGpuBudget' is 4: the pools it scales need 6 GPUs at minEndpoints=2 \(Prefill: 2 x 1, Decode: 2 x 2\)\. allowed: at least 6 GPUs/),
    ]);
  });

  test('turns on the scaling adapters of the pools it scales, whenever they are added; the DGD leaves their replicas out', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, namespace: 'llm' });
    const planner = new Planner(graph, 'Planner', { maxGpuBudget: 16 });
    const frontend = new Frontend(graph, 'Frontend');
    // Pools added after the Planner are scaled too: the choice is made at synth.
    const prefill = new PrefillPool(graph, 'Prefill', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
    const decode = new DecodePool(graph, 'Decode', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
    expect([prefill, decode].map(p => p.scaledBy)).toEqual([[planner], [planner]]);
    expect(frontend.scalingAdapterEnabled).toBe(false);
    expect(planner.scalingAdapterEnabled).toBe(false);
    const objects = Testing.synth(chart);
    expect(['Prefill', 'Decode'].map(n => component(objects, n).scalingAdapter)).toEqual([{}, {}]);
    expect(['Prefill', 'Decode'].map(n => 'replicas' in component(objects, n))).toEqual([false, false]);
    expect(component(objects, 'Frontend').replicas).toBe(1);
    expect(component(objects, 'Planner').replicas).toBe(1);
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
    expectValid(objects);
  });

  test('prefill-only mode leaves the decode pool to others', () => {
    const { chart, graph, prefill, decode } = disaggGraph();
    new Planner(graph, 'Planner', { mode: PlannerMode.PREFILL });
    new HpaPoolAutoscaler(chart, 'DecodeHpa', { target: ScalingTarget.pool(decode), maxReplicas: 4, metrics: [ScalingMetric.kvCacheUsage(80)] });
    expect(prefill.scaledBy.map(s => s.node.path)).toEqual(['test/qwen/Planner']);
    expect(decode.scaledBy.map(s => s.node.path)).toEqual(['test/DecodeHpa']);
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
  });

  test('an autoscaler on a pool the Planner scales is refused, naming both', () => {
    const { chart, graph, decode } = disaggGraph();
    new Planner(graph, 'Planner');
    new KedaPoolAutoscaler(chart, 'DecodeScaler', { target: ScalingTarget.pool(decode), maxReplicas: 4, metrics: [ScalingMetric.kvCacheUsage(80)] });
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([
      "[test/DecodeScaler] 'target' is 'test/qwen/Decode': Planner 'test/qwen/Planner' already scales it through DynamoGraphDeploymentScalingAdapter 'qwen-decode'; two drivers would fight over its replicas. allowed: a component no other Planner or autoscaler scales",
    ]);
  });

  test('a pool with its scaling adapter switched off cannot be planned', () => {
    const { graph } = disaggGraph({ scalingAdapter: false });
    new Planner(graph, 'Planner');
    expect(graph.node.findAll().flatMap(c => c.node.validate()).join('\n')).toMatch(
      /\[test\/qwen\/Prefill\] 'scalingAdapter' is false: Planner 'test\/qwen\/Planner' scales it through DynamoGraphDeploymentScalingAdapter 'qwen-prefill'\. allowed: true or unset/);
  });

  test('on a graph from an SLA plan, each unset target and the GPU budget come from the plan', () => {
    const graph = DynamoGraph.fromSla(Testing.chart(), 'qwen', {
      model: 'Qwen/Qwen3-8B',
      gpu: GpuProfile.H100_SXM,
      mode: ServingMode.DISAGGREGATED,
      backend: Backend.VLLM,
      hardware: { totalGpus: 8 },
      sla: { ttftMs: 300, itlMs: 20 },
    });
    expect(JSON.parse(new Planner(graph, 'Planner', { sla: { itlMs: 25 } }).configJson)).toMatchObject({ ttft_ms: 300, itl_ms: 25, max_gpu_budget: 8 });
  });

  test('mode must match the graph', () => {
    const { graph } = disaggGraph();
    const planner = new Planner(graph, 'Planner', { mode: PlannerMode.AGGREGATED });
    expect(planner.node.validate().join('\n')).toMatch(/'mode' is 'agg': the graph is disaggregated\. allowed: disagg, prefill, decode/);
  });

  test('bad props fail at construction', () => {
    const { graph } = disaggGraph();
    expect(() => new Planner(graph, 'A', { sla: { ttftMs: 0 } })).toThrow(/\[test\/qwen\/A\] 'sla\.ttftMs' is 0: allowed: a positive number of milliseconds/);
    expect(() => new Planner(graph, 'B', { replicas: 2 })).toThrow(/'replicas' is 2: allowed: a whole number from 0 to 1/);
    expect(() => new Planner(graph, 'C', { loadAdjustmentInterval: Duration.millis(1500) })).toThrow(/'loadAdjustmentInterval' is '1 second 500 millis': allowed: a whole number of seconds/);
    expect(() => new Planner(graph, 'D', { minGpuBudget: 9 })).toThrow(/'minGpuBudget' is 9: allowed: at most maxGpuBudget \(8\)/);
    expect(() => new Planner(graph, 'E', { throughputScaling: false, loadScaling: false })).toThrow(/the Planner never scales/);
    expect(() => new Planner(graph, 'F', { prometheusEndpoint: 'prometheus:9090' })).toThrow(/'prometheusEndpoint' is 'prometheus:9090'/);
    expect(() => new Planner(graph, 'G', { scalingAdapter: true })).toThrow(/'scalingAdapter' is true/);
  });

  // platform-facts §7: a restricted 1.4.0 install ships planner-serviceaccount, planner-role and planner-binding in its
  // target namespace; §4 / operator-facts §6: a cluster-wide operator creates the ServiceAccount and RoleBinding itself.
  describe('rendered RBAC is refused where a DynamoPlatform of the app provides it', () => {
    const plannerWith = (platformProps: object) => {
      const { chart, graph } = disaggGraph();
      new DynamoPlatform(chart, 'Platform', { createNamespace: false, ...platformProps });
      return new Planner(graph, 'Planner', { rbac: PlannerRbac.RENDERED, maxGpuBudget: 8 });
    };

    test('a restricted platform watching the graph namespace', () => {
      const planner = plannerWith({ namespace: 'llm', operatorScope: OperatorScope.namespaceRestricted() });
      expect(planner.node.validate()).toEqual([expect.stringMatching(new RegExp(
        "^\\[test/qwen/Planner\\] 'rbac' is 'rendered': the namespace-restricted DynamoPlatform 'test/Platform' already renders " +
        "planner-serviceaccount, planner-role and planner-binding in 'llm'\\. allowed: PlannerRbac\\.OPERATOR$"))]);
    });

    test('a cluster-wide platform', () => {
      const planner = plannerWith({});
      expect(planner.node.validate().join('\n')).toMatch(/'rbac' is 'rendered': the cluster-wide DynamoPlatform 'test\/Platform' runs an operator that creates planner-serviceaccount/);
    });

    test('a restricted platform watching another namespace leaves it to the user', () => {
      const { chart, graph } = disaggGraph();
      const other = new DynamoPlatform(chart, 'Platform', { namespace: 'team-b', operatorScope: OperatorScope.namespaceRestricted() });
      const planner = new Planner(graph, 'Planner', { rbac: PlannerRbac.RENDERED, maxGpuBudget: 8 });
      expect(other.targetNamespace).toBe('team-b');
      expect(planner.node.validate()).toEqual([]);
    });

    test('the default (operator-provided) goes with either platform', () => {
      for (const props of [{}, { namespace: 'llm', operatorScope: OperatorScope.namespaceRestricted() }]) {
        const { chart, graph } = disaggGraph();
        new DynamoPlatform(chart, 'Platform', { createNamespace: false, ...props });
        expect(new Planner(graph, 'Planner', { maxGpuBudget: 8 }).node.validate()).toEqual([]);
      }
    });
  });

  test('restricted RBAC needs a namespace', () => {
    const chart = Testing.chart();
    const g = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
    expect(() => new Planner(g, 'Planner', { rbac: PlannerRbac.RENDERED })).toThrow(/'rbac' is 'rendered': the RoleBinding must name/);
  });
});

describe('Planner pass-through', () => {
  test('profiling data is mounted at profileResultsDir, which the config names; other keys pass through', () => {
    const { chart, graph } = disaggGraph();
    new Planner(graph, 'Planner', {
      profilingData: PlannerProfilingData.fromConfigMap('planner-profile-data'),
      sweepMode: PlannerSweepMode.NONE,
      extraConfig: { aic_interpolation: { enabled: true }, throughput_metrics_source: 'router' },
    });
    const objects = Testing.synth(chart);
    expectValid(objects);
    const spec = component(objects, 'Planner').podTemplate.spec;
    expect(spec.volumes).toEqual([{ name: 'profiling-data', configMap: { name: 'planner-profile-data' } }]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'profiling-data', mountPath: '/workspace/profiling_results', readOnly: true }]);
    expect(configOf(objects)).toMatchObject({
      profile_results_dir: '/workspace/profiling_results', aic_interpolation: { enabled: true }, throughput_metrics_source: 'router',
    });
  });

  test('a claim with a sub-directory at an explicit directory; v1alpha1 renders the same after conversion', () => {
    const { graph } = disaggGraph();
    new Planner(graph, 'Planner', { profilingData: PlannerProfilingData.fromClaim('profiling-output', 'qwen/results'), profileResultsDir: '/data/profile' });
    const json = (v: DynamoApiVersion) => JSON.parse(JSON.stringify(graph._renderSpec(v)));
    const beta = json(DynamoApiVersion.V1BETA1).components.find((c: any) => c.name === 'Planner').podTemplate.spec;
    expect(beta.containers[0].volumeMounts).toEqual([{ name: 'profiling-data', mountPath: '/data/profile', readOnly: true, subPath: 'qwen/results' }]);
    expect(beta.volumes).toEqual([{ name: 'profiling-data', persistentVolumeClaim: { claimName: 'profiling-output', readOnly: true } }]);
    expect(convertV1Alpha1Spec(json(DynamoApiVersion.V1ALPHA1))).toEqual(normalizeV1Beta1(json(DynamoApiVersion.V1BETA1)));
  });

  test('a DGDR passes profileResultsDir and extra keys in its raw Planner configuration', () => {
    const req = new DynamoGraphDeploymentRequest(Testing.chart(), 'R', {
      model: 'Qwen/Qwen3-0.6B', planner: { profileResultsDir: 'results', extraConfig: { load_predictor_warmup_trace: '/t.jsonl' } },
    });
    expect((req._toSpec() as any).features.planner).toMatchObject({ profile_results_dir: 'results', load_predictor_warmup_trace: '/t.jsonl' });
  });

  test.each([
    [{ extraConfig: { max_gpu_budget: 4 } }, /'extraConfig\.max_gpu_budget' is 4: the library writes this key from a typed setting\. allowed: keys other than max_gpu_budget; set maxGpuBudget instead/],
    [{ extraConfig: { 'Bad-Key': 1 } }, /'extraConfig' is 'Bad-Key'/],
    [{ profilingData: PlannerProfilingData.fromConfigMap('d'), profileResultsDir: 'relative' }, /'profileResultsDir' is 'relative':.*allowed: an absolute directory with profilingData/],
  ] as Array<[PlannerProps, RegExp]>)('%j is refused', (props, message) => {
    expect(() => new Planner(disaggGraph().graph, 'Planner', props)).toThrow(message);
  });

  test('profiling data sources are validated', () => {
    expect(() => PlannerProfilingData.fromConfigMap('Bad_Name')).toThrow(/\[PlannerProfilingData\.fromConfigMap\] 'name' is 'Bad_Name'/);
    expect(() => PlannerProfilingData.fromClaim('c', '../x')).toThrow(/'subPath' is '\.\.\/x'/);
  });
});
