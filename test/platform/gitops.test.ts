import { ApiObject, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { DynamoModel, GitOps, KedaPoolAutoscaler, ModelSource, ScalingMetric, ScalingTarget, SyncWave } from '../../src';
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
    expect(a.PersistentVolumeClaim).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.WORKLOAD_PREREQUISITES) });
    expect(a.DynamoGraphDeployment).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.GRAPHS), [GitOps.ARGOCD_SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' });
    expect(a.ScaledObject).toEqual({ [SyncWave.ANNOTATION]: String(SyncWave.GRAPH_ADDONS), [GitOps.ARGOCD_SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' });
    expect(a.DynamoModel[SyncWave.ANNOTATION]).toBe(String(SyncWave.GRAPH_ADDONS));
    expect(chart.node.validate()).toEqual([]);
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
