import { App, Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DynamoMonitoring, DynamoPlatform, OperatorScope } from '../../src';
import { expectValid } from '../support/validate';

/** Services of `objects` that a ServiceMonitor's selector and namespace selector pick. */
function selectedServices(monitor: any, objects: any[]): any[] {
  const labels = monitor.spec.selector.matchLabels;
  return objects.filter((o) => o.kind === 'Service'
    && monitor.spec.namespaceSelector.matchNames.includes(o.metadata.namespace)
    && Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v));
}

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

  test('operator ServiceMonitor from a DynamoPlatform selects exactly its metrics Service, on its metrics port', () => {
    const label = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));
    fc.assert(fc.property(label(31), label(63), fc.boolean(), (releaseName, namespace, restricted) => {
      const app = Testing.app();
      const platformChart = new Chart(app, 'platform');
      const platform = new DynamoPlatform(platformChart, 'Dynamo', {
        releaseName,
        namespace,
        operatorScope: restricted ? OperatorScope.namespaceRestricted() : OperatorScope.clusterWide(),
      });
      const monitors = new Chart(app, 'monitors');
      new DynamoMonitoring(monitors, 'M', { namespace: 'monitoring', frontend: false, workers: false, planner: false, operator: { platform } });
      const [monitor] = monitors.toJson();
      const selected = selectedServices(monitor, platformChart.toJson());
      expect(selected.map((o) => o.metadata.name)).toEqual([platform.metricsServiceName]);
      expect(selected[0].spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
      expectValid([monitor]);
    }), { numRuns: 15 });
  });

  test('the platform\'s monitor equals the one written by hand for the chart\'s labels', () => {
    const byHand = Testing.chart();
    new DynamoMonitoring(byHand, 'M', {
      frontend: false,
      workers: false,
      planner: false,
      operator: {
        namespace: 'dynamo-system',
        serviceSelector: { 'app.kubernetes.io/name': 'dynamo-operator', 'app.kubernetes.io/instance': 'dynamo-platform', 'app.kubernetes.io/component': 'metrics' },
      },
    });
    const fromPlatform = Testing.chart();
    new DynamoMonitoring(fromPlatform, 'M', {
      frontend: false, workers: false, planner: false, operator: { platform: new DynamoPlatform(new Chart(new App(), 'p'), 'Dynamo') },
    });
    expect(Testing.synth(fromPlatform)).toEqual(Testing.synth(byHand));
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
    const platform = new DynamoPlatform(new Chart(new App(), 'p'), 'Dynamo');
    const only = { frontend: false, workers: false, planner: false };
    expect(() => new DynamoMonitoring(chart, 'F', { ...only, operator: { platform, namespace: 'x' } }))
      .toThrow(/\[test\/F\] 'operator\.namespace' is 'x': the platform p\/Dynamo defines it\. allowed: unset when operator\.platform is given/);
    expect(() => new DynamoMonitoring(chart, 'G', { ...only, operator: { platform, port: 'https' } })).toThrow(/'operator\.port' is 'https'/);
    expect(() => new DynamoMonitoring(chart, 'H', { ...only, operator: { serviceSelector: { a: 'b' } } }))
      .toThrow(/\[test\/H\] 'operator\.namespace' is undefined: .*allowed: the operator's namespace, or operator\.platform/);
    expect(() => new DynamoMonitoring(chart, 'I', { ...only, operator: { namespace: 'x' } })).toThrow(/'operator\.serviceSelector' is undefined/);
  });
});
