import { ApiObject, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { platformAndGraphs } from '../../examples/gitops/charts';
import {
  AggregatedPool, Backend, DynamoGraph, DynamoModel, GitOps, GpuProfile, KedaPoolAutoscaler, ModelCache, ModelSource, ScalingMetric, ScalingTarget,
  SyncWave,
} from '../../src';
import { disaggGraph } from '../autoscaling/fixtures';
import { expectValid } from '../support/validate';

/** A claim as the API server accepts it (a storage request is required). */
const claimSpec = (accessMode: string): k8s.PersistentVolumeClaimSpec =>
  ({ accessModes: [accessMode], resources: { requests: { storage: k8s.Quantity.fromString('10Gi') } } });

/** The ArgoCD annotations of each kind (other annotations, e.g. policy records, are not GitOps' business). */
const annotationsByKind = (chart: any) => Object.fromEntries(Testing.synth(chart).map((o: any) => [o.kind,
  Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => k.startsWith('argocd.argoproj.io/')))]));

describe('GitOps.argoCd', () => {
  test('waves by kind, and the dry-run skip only on kinds from CRDs', () => {
    const { chart, graph, decode } = disaggGraph();
    new k8s.KubeServiceAccount(chart, 'Sa', { metadata: { name: 'sa' } });
    new k8s.KubePersistentVolumeClaim(chart, 'Pvc', { metadata: { name: 'models' }, spec: claimSpec('ReadWriteMany') });
    new KedaPoolAutoscaler(chart, 'Keda', { target: ScalingTarget.pool(decode), maxReplicas: 3, metrics: [ScalingMetric.kvCacheUsage(80)] });
    new DynamoModel(chart, 'Lora', { graph, modelName: 'a/b', source: ModelSource.s3('adapters', 'b') });
    GitOps.argoCd(chart);
    const a = annotationsByKind(chart);
    expect(a.ServiceAccount).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.RBAC) });
    // Nothing in the chart mounts it: the graphs' wave, so it never holds a wave of its own (below).
    expect(a.PersistentVolumeClaim).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.GRAPHS) });
    expect(a.DynamoGraphDeployment).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.GRAPHS), [GitOps.ARGOCD_SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' });
    expect(a.ScaledObject).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.GRAPH_ADDONS), [GitOps.ARGOCD_SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' });
    expect(a.DynamoModel[SyncWave.ANNOTATION]).toBe(String(SyncWave.GRAPH_ADDONS));
    expect(chart.node.validate()).toEqual([]);
    expectValid(Testing.synth(chart));
  });

  // A WaitForFirstConsumer claim stays Pending (ArgoCD: Progressing) until a pod mounts it; ArgoCD starts a wave only
  // once the earlier ones are healthy. So a claim is synced in the wave of its first consumer, never before it.
  test('a claim is synced with its first consumer', () => {
    const chart = Testing.chart();
    // Bare manifests below: the policy pack would ask them for resources and hardening, which this test is not about.
    const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM, namespace: 'llm', policyEnabled: false });
    const cache = new ModelCache(chart, 'Cache', { model: 'Qwen/Qwen3-0.6B', size: Size.gibibytes(10), namespace: 'llm' });
    new AggregatedPool(graph, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, modelCache: cache });
    const claim = (name: string, namespace = 'llm') =>
      new k8s.KubePersistentVolumeClaim(chart, `Claim-${name}-${namespace}`, { metadata: { name, namespace }, spec: claimSpec('ReadWriteOnce') });
    claim('compile-cache');
    claim('scratch');
    claim('scratch', 'other');
    claim('unused');
    // A graph defined elsewhere mounting 'compile-cache'; a plain Deployment mounting 'scratch' in 'llm'.
    new ApiObject(chart, 'Foreign', {
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'foreign', namespace: 'llm' },
      spec: {
        components: [{
          name: 'W',
          type: 'worker',
          compilationCache: { pvcName: 'compile-cache' },
          podTemplate: { spec: { containers: [{ name: 'main', image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0' }] } },
        }],
      },
    });
    new k8s.KubeDeployment(chart, 'Tool', {
      metadata: { name: 'tool', namespace: 'llm' },
      spec: {
        selector: { matchLabels: { app: 'tool' } },
        template: {
          metadata: { labels: { app: 'tool' } },
          spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], volumes: [{ name: 's', persistentVolumeClaim: { claimName: 'scratch' } }] },
        },
      },
    });
    GitOps.argoCd(chart);
    const objects = Testing.synth(chart);
    expectValid(objects);
    const waves = Object.fromEntries(objects.filter((o: any) => o.kind === 'PersistentVolumeClaim')
      .map((o: any) => [`${o.metadata.namespace}/${o.metadata.name}`, Number(o.metadata.annotations[SyncWave.ANNOTATION])]));
    expect(waves).toEqual({
      // The download Job mounts it in the prerequisites wave, before the graph.
      [`llm/${cache.claimName}`]: SyncWave.WORKLOAD_PREREQUISITES,
      'llm/compile-cache': SyncWave.GRAPHS,
      'llm/scratch': SyncWave.WORKLOAD_PREREQUISITES,
      // Same name, other namespace: the Deployment does not mount it.
      'other/scratch': SyncWave.GRAPHS,
      'llm/unused': SyncWave.GRAPHS,
    });
  });

  test('keeps existing waves and merges sync options', () => {
    const chart = Testing.chart();
    new k8s.KubeCustomResourceDefinition(chart, 'Crd', {
      metadata: { name: 'things.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Thing', plural: 'things' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openApiv3Schema: { type: 'object' } } }],
      },
    });
    // A kind from a CRD the sync may not find yet, with a wave and a sync option of its own.
    new ApiObject(chart, 'Monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 't', annotations: { [SyncWave.ANNOTATION]: '3', [GitOps.ARGOCD_SYNC_OPTIONS]: 'Prune=false' } },
      spec: { selector: { matchLabels: { app: 't' } }, podMetricsEndpoints: [{ port: 'metrics' }] },
    });
    GitOps.argoCd(chart);
    GitOps.argoCd(chart);
    const a = annotationsByKind(chart);
    expect(a.CustomResourceDefinition).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.CRDS) });
    expect(a.PodMonitor).toEqual({ [SyncWave.ANNOTATION]: '3', [GitOps.ARGOCD_SYNC_OPTIONS]: 'Prune=false,SkipDryRunOnMissingResource=true' });
    expectValid(Testing.synth(chart));
  });

  test('an explicit wave wins', () => {
    const chart = Testing.chart();
    new k8s.KubeConfigMap(chart, 'Cm', { metadata: { name: 'c' } });
    GitOps.argoCd(chart, { wave: 42 });
    expect(annotationsByKind(chart).ConfigMap[SyncWave.ANNOTATION]).toBe('42');
    expectValid(Testing.synth(chart));
    expect(() => GitOps.argoCd(chart, { wave: 1.5 })).toThrow(/'wave' is 1\.5/);
  });

  test('objects added afterwards are reported', () => {
    const chart = Testing.chart();
    GitOps.argoCd(chart);
    new k8s.KubeConfigMap(chart, 'Late', { metadata: { name: 'late' } });
    expect(chart.node.validate().join('\n')).toMatch(/\[test\/Late\] 'metadata\.annotations' is undefined: ConfigMap 'late' was added afterwards and has no sync wave/);
  });

  test('built-in groups never need the dry-run skip', () => {
    expect(GitOps.needsCrd('v1', 'ConfigMap')).toBe(false);
    expect(GitOps.needsCrd('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe(false);
    expect(GitOps.needsCrd('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toBe(false);
    expect(GitOps.needsCrd('monitoring.coreos.com/v1', 'PodMonitor')).toBe(true);
    expect(GitOps.needsCrd('nvidia.com/v1alpha1', 'DynamoModel')).toBe(true);
  });
});

/**
 * The first ArgoCD sync of an empty cluster, as the GitOps example orders it (docs/gitops.md walks it step by step).
 * Each expectation is one reason a step can succeed: platform-facts §2 (crd-apply installs the CRDs, readiness is the
 * webhook server), §5 (the operator injects its CA into configurations that exist when it starts; failurePolicy Fail
 * on every Dynamo webhook, Ignore on the pod webhook), §5.1 (the labels CA injection selects on).
 */
describe('one ArgoCD sync of an empty cluster (examples/gitops)', () => {
  const app = Testing.app();
  const { platform, graphs } = platformAndGraphs(app);
  GitOps.argoCd(platform);
  GitOps.argoCd(graphs);
  const objects = [...platform.toJson(), ...graphs.toJson()];
  const wave = (o: any) => Number(o.metadata.annotations?.[SyncWave.ANNOTATION]);
  const only = (kind: string) => {
    const found = objects.filter(o => o.kind === kind);
    if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  const operator = only('Deployment');
  const webhookConfigs = objects.filter(o => /WebhookConfiguration$/.test(o.kind));

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('every object has a wave, and every namespace comes first', () => {
    expect(objects.filter(o => Number.isNaN(wave(o)))).toEqual([]);
    const namespaces = objects.filter(o => o.kind === 'Namespace');
    expect(namespaces.map(n => n.metadata.name).sort()).toEqual(['dynamo-system', 'llm']);
    const first = Math.max(...namespaces.map(wave));
    expect(objects.filter(o => o.kind !== 'Namespace' && wave(o) <= first)).toEqual([]);
  });

  test('the operator installs the CRDs before it reports ready, and is ready only when its webhooks serve', () => {
    const pod = operator.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['crd-apply']);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    const rbac = objects.filter(o => /^(ServiceAccount|(Cluster)?Role(Binding)?)$/.test(o.kind) && o.metadata.namespace !== 'llm');
    expect(Math.max(...rbac.map(wave))).toBeLessThan(wave(operator));
  });

  test('webhook configurations exist (with the CA-injection labels) before the operator starts', () => {
    expect(webhookConfigs).toHaveLength(2);
    for (const config of webhookConfigs) {
      expect(wave(config)).toBeLessThan(wave(operator));
      expect(config.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'dynamo-operator', 'nvidia.com/dynamo-operator-namespace': 'dynamo-system' });
    }
    const hooks = webhookConfigs.flatMap(c => c.webhooks);
    // Only the pod webhook matches the operator's own pod; it must let it through while nothing serves it yet.
    expect(hooks.filter((h: any) => h.rules.some((r: any) => r.apiGroups.includes(''))).map((h: any) => h.failurePolicy)).toEqual(['Ignore']);
    expect(hooks.filter((h: any) => h.rules.every((r: any) => r.apiGroups.includes('nvidia.com'))).every((h: any) => h.failurePolicy === 'Fail')).toBe(true);
  });

  test('Dynamo objects wait for the operator; what refers to a graph comes after the graphs', () => {
    const dynamo = objects.filter(o => o.apiVersion.startsWith('nvidia.com/'));
    expect(dynamo.length).toBeGreaterThan(0);
    expect(Math.min(...dynamo.map(wave))).toBeGreaterThan(wave(operator));
    const graphWave = wave(only('DynamoGraphDeployment'));
    for (const monitor of objects.filter(o => o.apiVersion.startsWith('monitoring.coreos.com/'))) expect(wave(monitor)).toBeGreaterThan(graphWave);
  });

  test('every kind from a CRD may skip the first dry run, no built-in kind does', () => {
    for (const o of objects) {
      const skips = (o.metadata.annotations?.[GitOps.ARGOCD_SYNC_OPTIONS] ?? '').includes(GitOps.SKIP_DRY_RUN);
      expect([`${o.kind}/${o.metadata.name}`, skips]).toEqual([`${o.kind}/${o.metadata.name}`, GitOps.needsCrd(o.apiVersion, o.kind)]);
    }
  });
});
