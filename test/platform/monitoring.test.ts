import { Duration, Testing } from 'cdk8s';
import { DynamoMonitoring } from '../../src';
import { expectValid } from '../support/validate';

describe('DynamoMonitoring', () => {
  test('pod monitors for frontend, workers and planner, with graph and component labels', () => {
    const chart = Testing.chart();
    new DynamoMonitoring(chart, 'Monitoring', { namespace: 'llm', monitorLabels: { release: 'prometheus' } });
    const objects = Testing.synth(chart);
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PodMonitor/dynamo-graphs-frontend', 'PodMonitor/dynamo-graphs-worker', 'PodMonitor/dynamo-graphs-planner',
    ]);
    const [frontend, worker, planner] = objects;
    expect(frontend.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'http', path: '/metrics', interval: '5s', honorLabels: true });
    expect(worker.spec.selector.matchExpressions[0]).toEqual({ key: 'nvidia.com/dynamo-component-type', operator: 'In', values: ['worker', 'prefill', 'decode'] });
    expect(worker.spec.podMetricsEndpoints[0].port).toBe('system');
    expect(planner.spec.podMetricsEndpoints[0].port).toBe('metrics');
    expect(worker.spec.namespaceSelector).toBeUndefined();
    expect(worker.metadata.labels).toEqual({ release: 'prometheus' });
    // The labels the autoscalers query on.
    const targets = worker.spec.podMetricsEndpoints[0].relabelings.map((r: any) => [r.sourceLabels[0], r.targetLabel]);
    expect(targets).toContainEqual(['__meta_kubernetes_pod_label_nvidia_com_dynamo_graph_deployment_name', DynamoMonitoring.GRAPH_LABEL]);
    expect(targets).toContainEqual(['__meta_kubernetes_pod_label_nvidia_com_dynamo_component', DynamoMonitoring.COMPONENT_LABEL]);
    expect(frontend.spec.podMetricsEndpoints[0].relabelings.map((r: any) => r.targetLabel)).toContain('dynamo_namespace');
    expect(objects).toMatchSnapshot();
    expectValid(objects);
  });

  test('operator ServiceMonitor with the metrics-reader RBAC', () => {
    const chart = Testing.chart();
    new DynamoMonitoring(chart, 'M', {
      namespace: 'monitoring',
      allNamespaces: true,
      frontend: false,
      workers: false,
      planner: false,
      operator: {
        namespace: 'dynamo-system',
        serviceSelector: { 'app.kubernetes.io/name': 'dynamo-operator', 'app.kubernetes.io/component': 'metrics' },
        interval: Duration.seconds(30),
        grantPrometheus: { name: 'prometheus-k8s', namespace: 'monitoring' },
      },
    });
    const objects = Testing.synth(chart);
    expect(objects.map((o: any) => o.kind)).toEqual(['ServiceMonitor', 'ClusterRole', 'ClusterRoleBinding']);
    expect(objects[0].spec.endpoints[0]).toMatchObject({ port: 'metrics', scheme: 'https', interval: '30s', tlsConfig: { insecureSkipVerify: true } });
    expect(objects[0].spec.namespaceSelector).toEqual({ matchNames: ['dynamo-system'] });
    expect(objects[1].rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    expect(objects[2].subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus-k8s', namespace: 'monitoring' }]);
    expectValid(objects);
  });

  test('watched namespaces', () => {
    const chart = Testing.chart();
    new DynamoMonitoring(chart, 'M', { watchNamespaces: ['a', 'b'], planner: false });
    expect(Testing.synth(chart)[0].spec.namespaceSelector).toEqual({ matchNames: ['a', 'b'] });
  });

  test('bad input', () => {
    const chart = Testing.chart();
    expect(() => new DynamoMonitoring(chart, 'A', { allNamespaces: true, watchNamespaces: ['a'] })).toThrow(/\[test\/A\] 'watchNamespaces' is \["a"\]: allowed: unset when allNamespaces is true/);
    expect(() => new DynamoMonitoring(chart, 'B', { frontend: false, workers: false, planner: false })).toThrow(/'frontend' is false: nothing would be scraped/);
    expect(() => new DynamoMonitoring(chart, 'C', { interval: Duration.millis(500) })).toThrow(/'interval' is '500 millis'/);
    expect(() => new DynamoMonitoring(chart, 'D', { operator: { namespace: 'x', serviceSelector: {} } })).toThrow(/'operator\.serviceSelector' is \{\}/);
    expect(() => new DynamoMonitoring(chart, 'E', { namePrefix: 'Bad' })).toThrow(/'namePrefix' is 'Bad'/);
  });
});
