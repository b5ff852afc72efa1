import { Duration, Testing } from 'cdk8s';
import { disaggGraph } from './fixtures';
import { AggregatedPool, Backend, DynamoGraph, GpuProfile, HpaPoolAutoscaler, KedaPoolAutoscaler, Planner, ScalingMetric, ScalingTarget } from '../../src';
import { expectValid } from '../support/validate';

const objectsOf = (chart: any, kind: string) => Testing.synth(chart).filter((o: any) => o.kind === kind);

describe('KedaPoolAutoscaler', () => {
  test('scales the pool\'s scaling adapter with Prometheus triggers on the pool and graph labels', () => {
    const { chart, decode } = disaggGraph();
    new KedaPoolAutoscaler(chart, 'DecodeScaler', {
      target: ScalingTarget.pool(decode),
      maxReplicas: 4,
      metrics: [ScalingMetric.kvCacheUsage(80), ScalingMetric.queuedRequests(5), ScalingMetric.itl(30)],
      scaleDownStabilization: Duration.minutes(10),
      pollingInterval: Duration.seconds(15),
    });
    const objects = Testing.synth(chart);
    const [so] = objects.filter((o: any) => o.kind === 'ScaledObject');
    expect(so.metadata).toEqual({ name: 'qwen-decode', namespace: 'llm' });
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: 'qwen-decode' });
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.triggers[0]).toEqual({
      type: 'prometheus',
      name: 'dynamo_autoscaling_vllm_kv_cache_usage',
      metricType: 'Value',
      metadata: {
        serverAddress: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc.cluster.local:9090',
        query: 'avg(vllm:kv_cache_usage_perc{namespace="llm",dynamo_graph_deployment="qwen",dynamo_graph_component="Decode"})',
        threshold: '0.8',
      },
    });
    expect(so.spec.triggers[1].metricType).toBe('AverageValue');
    // Graph-wide frontend metric: no component label.
    expect(so.spec.triggers[2].metadata.query).toContain('{namespace="llm",dynamo_graph_deployment="qwen"}');
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
    expect(so.spec.pollingInterval).toBe(15);
    expect(so).toMatchSnapshot();
    expectValid(objects);
  });

  test('CPU trigger and authentication', () => {
    const { chart, graph } = disaggGraph();
    new KedaPoolAutoscaler(chart, 'FrontendScaler', {
      target: ScalingTarget.adapter({ graphName: graph.name, componentName: 'Frontend', namespace: 'llm' }),
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [ScalingMetric.cpuUtilization(70), ScalingMetric.requestRate(20)],
      authenticationRef: 'prometheus-auth',
      prometheusUrl: 'https://prom.example.com',
    });
    const [so] = objectsOf(chart, 'ScaledObject');
    expect(so.spec.triggers[0]).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } });
    expect(so.spec.triggers[1].authenticationRef).toEqual({ name: 'prometheus-auth' });
    expect(so.spec.triggers[1].metadata.serverAddress).toBe('https://prom.example.com');
  });

  test('a custom metric needs a query for KEDA', () => {
    const { chart, decode } = disaggGraph();
    expect(() => new KedaPoolAutoscaler(chart, 'S', { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics: [ScalingMetric.custom({ name: 'x', target: 1 })] }))
      .toThrow(/\[test\/S\] 'metrics\[0\]\.query' is undefined: KEDA runs the query itself/);
  });
  test('bad Prometheus URL, polling interval or authentication reference: the message names the prop, value and what is allowed', () => {
    const { chart, decode } = disaggGraph();
    const props = { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics: [ScalingMetric.kvCacheUsage(80)] };
    expect(() => new KedaPoolAutoscaler(chart, 'A', { ...props, prometheusUrl: 'prometheus:9090' }))
      .toThrow("[test/A] 'prometheusUrl' is 'prometheus:9090': allowed: an http(s) URL, e.g. 'http://prometheus.monitoring.svc:9090'");
    expect(() => new KedaPoolAutoscaler(chart, 'B', { ...props, pollingInterval: Duration.millis(1500) }))
      .toThrow("[test/B] 'pollingInterval' is '1 second 500 millis': allowed: a whole number of seconds, at least 1");
    expect(() => new KedaPoolAutoscaler(chart, 'C', { ...props, authenticationRef: 'Bad_Ref' })).toThrow(/\[test\/C\] 'authenticationRef' is 'Bad_Ref'/);
  });
});

describe('HpaPoolAutoscaler', () => {
  test('external metrics selected by the pool labels; adapter rules to serve them', () => {
    const { chart, prefill } = disaggGraph({ backend: Backend.SGLANG });
    const hpa = new HpaPoolAutoscaler(chart, 'PrefillHpa', {
      target: ScalingTarget.pool(prefill),
      maxReplicas: 3,
      metrics: [ScalingMetric.queuedRequests(4), ScalingMetric.ttft(250), ScalingMetric.cpuUtilization(80)],
    });
    const objects = Testing.synth(chart);
    const [h] = objects.filter((o: any) => o.kind === 'HorizontalPodAutoscaler');
    expect(h.spec.scaleTargetRef.name).toBe('qwen-prefill');
    expect(h.spec.metrics[0]).toEqual({
      type: 'External',
      external: {
        metric: { name: 'dynamo_autoscaling_sglang_queued_requests', selector: { matchLabels: { dynamo_graph_deployment: 'qwen', dynamo_graph_component: 'Prefill' } } },
        target: { type: 'AverageValue', averageValue: '4' },
      },
    });
    expect(h.spec.metrics[1].external.target).toEqual({ type: 'Value', value: '250m' });
    expect(h.spec.metrics[2]).toEqual({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } });
    expect(h.spec.behavior).toBeUndefined();
    expect(hpa.prometheusAdapterRules()).toMatchSnapshot();
    expect(hpa.prometheusAdapterRules()).toContain('metricsQuery: sum(sglang:num_queue_reqs{<<.LabelMatchers>>})');
    expectValid(objects);
  });
});

describe('pool autoscaler validation', () => {
  test('turns on the scaling adapter of the pool it scales, which then leaves replicas out of the DGD', () => {
    const { chart, graph, decode, prefill } = disaggGraph();
    new KedaPoolAutoscaler(chart, 'S', { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics: [ScalingMetric.kvCacheUsage(70)] });
    expect(decode.scalingAdapterEnabled).toBe(true);
    expect(decode.scaledBy.map(s => s.node.path)).toEqual(['test/S']);
    expect(prefill.scalingAdapterEnabled).toBe(false);
    const components = Testing.synth(chart).find((o: any) => o.kind === 'DynamoGraphDeployment').spec.components;
    const byName = (n: string) => components.find((c: any) => c.name === n);
    expect(byName('Decode').scalingAdapter).toEqual({});
    expect(byName('Decode')).not.toHaveProperty('replicas');
    expect(byName('Prefill')).toMatchObject({ replicas: 1 });
    expect(byName('Prefill')).not.toHaveProperty('scalingAdapter');
    expect(graph.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
  });

  test('a pool whose scaling adapter is switched off cannot be autoscaled (reported at synth)', () => {
    const { chart, decode } = disaggGraph({ scalingAdapter: false });
    new KedaPoolAutoscaler(chart, 'S', { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics: [ScalingMetric.kvCacheUsage(70)] });
    const errors = chart.node.findAll().flatMap(c => c.node.validate());
    expect(errors).toEqual([
      "[test/qwen/Decode] 'scalingAdapter' is false: KedaPoolAutoscaler 'test/S' scales it through DynamoGraphDeploymentScalingAdapter 'qwen-decode'. allowed: true or unset on a component a Planner or autoscaler scales",
    ]);
  });

  test('two autoscalers on one pool: the second is refused, naming the first', () => {
    const { chart, decode } = disaggGraph();
    const metrics = [ScalingMetric.kvCacheUsage(70)];
    new KedaPoolAutoscaler(chart, 'Keda', { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics });
    new HpaPoolAutoscaler(chart, 'Hpa', { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics, name: 'decode-hpa' });
    const errors = chart.node.findAll().flatMap(c => c.node.validate());
    expect(errors).toEqual([
      "[test/Hpa] 'target' is 'test/qwen/Decode': KedaPoolAutoscaler 'test/Keda' already scales it through DynamoGraphDeploymentScalingAdapter 'qwen-decode'; two drivers would fight over its replicas. allowed: a component no other Planner or autoscaler scales",
    ]);
  });

  test('two autoscalers on one scaling adapter given by name: the second is refused, naming the first', () => {
    const { chart, decode } = disaggGraph();
    const metrics = [ScalingMetric.kvCacheUsage(70)];
    new KedaPoolAutoscaler(chart, 'Keda', { target: ScalingTarget.pool(decode), maxReplicas: 2, metrics });
    new HpaPoolAutoscaler(chart, 'Hpa', {
      target: ScalingTarget.adapter({ graphName: 'qwen', componentName: 'Decode', namespace: 'llm', backend: Backend.VLLM }), maxReplicas: 2, metrics, name: 'other',
    });
    // Another namespace is another adapter.
    new HpaPoolAutoscaler(chart, 'Elsewhere', {
      target: ScalingTarget.adapter({ graphName: 'qwen', componentName: 'Decode', namespace: 'other', backend: Backend.VLLM }), maxReplicas: 2, metrics,
    });
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([
      "[test/Hpa] 'target' is 'qwen-decode': KedaPoolAutoscaler 'test/Keda' already scales it; two autoscalers would fight over its replicas. allowed: a scaling adapter no other autoscaler scales",
    ]);
  });

  test('the Planner cannot be autoscaled', () => {
    const { chart, graph } = disaggGraph();
    const planner = new Planner(graph, 'Planner');
    expect(() => new HpaPoolAutoscaler(chart, 'P', { target: ScalingTarget.pool(planner), maxReplicas: 2, metrics: [ScalingMetric.cpuUtilization(50)] }))
      .toThrow("[test/P] 'target' is 'test/qwen/Planner': the Planner runs as one replica and is not scaled. allowed: a frontend or worker pool");
  });

  test('a replica count on an autoscaled pool is its starting size: a create-once adapter, no count in the DGD', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, namespace: 'llm' });
    const pool = new AggregatedPool(graph, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.L40S, replicas: 3 });
    new HpaPoolAutoscaler(chart, 'Hpa', { target: ScalingTarget.pool(pool), minReplicas: 2, maxReplicas: 6, metrics: [ScalingMetric.queuedRequests(4)] });
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'DynamoGraphDeployment').spec.components[0]).not.toHaveProperty('replicas');
    expect(objects.find(o => o.kind === 'DynamoGraphDeploymentScalingAdapter').spec).toEqual({ replicas: 3, dgdRef: { name: 'qwen', componentName: 'Worker' } });
  });

  test('no scale to zero, max >= min, at least one metric, no duplicates', () => {
    const { chart, decode } = disaggGraph();
    const target = ScalingTarget.pool(decode);
    const metrics = [ScalingMetric.kvCacheUsage(70)];
    expect(() => new KedaPoolAutoscaler(chart, 'A', { target, minReplicas: 0, maxReplicas: 2, metrics })).toThrow(/'minReplicas' is 0: allowed: a whole number >= 1/);
    expect(() => new KedaPoolAutoscaler(chart, 'B', { target, minReplicas: 3, maxReplicas: 2, metrics })).toThrow(/'maxReplicas' is 2: allowed: a whole number >= 3/);
    expect(() => new KedaPoolAutoscaler(chart, 'C', { target, maxReplicas: 2, metrics: [] })).toThrow(/'metrics' is \[\]: allowed: at least one ScalingMetric/);
    expect(() => new KedaPoolAutoscaler(chart, 'D', { target, maxReplicas: 2, metrics: [ScalingMetric.ttft(1), ScalingMetric.ttft(2)] })).toThrow(/'metrics' is 'dynamo_autoscaling_ttft_p95_seconds': allowed: each metric at most once/);
  });

  test('engine metrics are refused on a frontend', () => {
    const { chart, frontend } = disaggGraph();
    expect(() => new HpaPoolAutoscaler(chart, 'F', { target: ScalingTarget.pool(frontend), maxReplicas: 2, metrics: [ScalingMetric.kvCacheUsage(50)] }))
      .toThrow(/'metrics\[0\]' is 'kvCacheUsage': engine metrics exist only on worker pods/);
  });

  test('the namespace must be known', () => {
    const chart = Testing.chart();
    expect(() => new KedaPoolAutoscaler(chart, 'S', { target: ScalingTarget.adapter({ graphName: 'g', componentName: 'Decode', backend: Backend.VLLM }), maxReplicas: 2, metrics: [ScalingMetric.kvCacheUsage(70)] }))
      .toThrow(/'target\.namespace' is undefined: the autoscaler must live in the graph's namespace/);
  });

  test('names of a target given by name are checked', () => {
    const chart = Testing.chart();
    expect(() => ScalingTarget.adapter({ graphName: 'Bad_Name', componentName: 'Decode' }) && new HpaPoolAutoscaler(chart, 'S', {
      target: ScalingTarget.adapter({ graphName: 'Bad_Name', componentName: 'Decode', namespace: 'x' }), maxReplicas: 2, metrics: [ScalingMetric.activeRequests(4)],
    })).toThrow(/'target\.graphName' is 'Bad_Name'/);
  });
});
