import { ApiObject, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  AggregatedPool, Backend, DynamoGraph, DynamoModel, GitOps, GpuProfile, KedaPoolAutoscaler, ModelCache, ModelSource, ScalingMetric, ScalingTarget,
  SyncWave,
} from '../../src';
import { disaggGraph } from '../autoscaling/fixtures';

/** The ArgoCD annotations of each kind (other annotations, e.g. policy records, are not GitOps' business). */
const annotationsByKind = (chart: any) => Object.fromEntries(Testing.synth(chart).map((o: any) => [o.kind,
  Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => k.startsWith('argocd.argoproj.io/')))]));

describe('GitOps.argoCd', () => {
  test('waves by kind, and the dry-run skip only on kinds from CRDs', () => {
    const { chart, graph, decode } = disaggGraph();
    new k8s.KubeServiceAccount(chart, 'Sa', { metadata: { name: 'sa' } });
    new k8s.KubePersistentVolumeClaim(chart, 'Pvc', { metadata: { name: 'models' }, spec: { accessModes: ['ReadWriteMany'] } });
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
      new k8s.KubePersistentVolumeClaim(chart, `Claim-${name}-${namespace}`, { metadata: { name, namespace }, spec: { accessModes: ['ReadWriteOnce'] } });
    claim('compile-cache');
    claim('scratch');
    claim('scratch', 'other');
    claim('unused');
    // A graph defined elsewhere mounting 'compile-cache'; a plain Deployment mounting 'scratch' in 'llm'.
    new ApiObject(chart, 'Foreign', {
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'foreign', namespace: 'llm' },
      spec: { components: [{ name: 'W', type: 'worker', compilationCache: { pvcName: 'compile-cache' } }] },
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
    const waves = Object.fromEntries(Testing.synth(chart).filter((o: any) => o.kind === 'PersistentVolumeClaim')
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
    new ApiObject(chart, 'Crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' } });
    new ApiObject(chart, 'Thing', {
      apiVersion: 'example.com/v1',
      kind: 'Thing',
      metadata: { name: 't', annotations: { [SyncWave.ANNOTATION]: '3', [GitOps.ARGOCD_SYNC_OPTIONS]: 'Prune=false' } },
    });
    GitOps.argoCd(chart);
    GitOps.argoCd(chart);
    const a = annotationsByKind(chart);
    expect(a.CustomResourceDefinition).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.CRDS) });
    expect(a.Thing).toEqual({ [SyncWave.ANNOTATION]: '3', [GitOps.ARGOCD_SYNC_OPTIONS]: 'Prune=false,SkipDryRunOnMissingResource=true' });
  });

  test('an explicit wave wins', () => {
    const chart = Testing.chart();
    new k8s.KubeConfigMap(chart, 'Cm', { metadata: { name: 'c' } });
    GitOps.argoCd(chart, { wave: 42 });
    expect(annotationsByKind(chart).ConfigMap[SyncWave.ANNOTATION]).toBe('42');
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
