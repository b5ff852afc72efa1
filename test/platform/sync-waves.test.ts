import { ApiObject, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { SyncWave } from '../../src/platform/sync-waves';
import { expectValid } from '../support/validate';

describe('SyncWave', () => {
  test('waves order namespace, CRDs, RBAC, config, operator, prerequisites, graphs, add-ons', () => {
    const waves = [
      SyncWave.NAMESPACE, SyncWave.CRDS, SyncWave.RBAC, SyncWave.CONFIG,
      SyncWave.OPERATOR, SyncWave.WORKLOAD_PREREQUISITES, SyncWave.GRAPHS, SyncWave.GRAPH_ADDONS,
    ];
    expect([...waves].sort((a, b) => a - b)).toEqual(waves);
    expect(new Set(waves).size).toBe(waves.length);
  });

  test('annotate puts every API object below a scope into the wave', () => {
    const chart = Testing.chart();
    const group = new Construct(chart, 'Group');
    new ApiObject(group, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    new ApiObject(new Construct(group, 'Nested'), 'B', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } });
    new ApiObject(chart, 'Outside', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });

    SyncWave.annotate(group, SyncWave.GRAPHS);

    const objects = Testing.synth(chart);
    const waves = objects.map((o) => [o.metadata.name, o.metadata.annotations?.[SyncWave.ANNOTATION]]);
    expect(waves).toEqual([['a', '10'], ['b', '10'], ['c', undefined]]);
    expectValid(objects);
  });

  test.each([
    ['Namespace', SyncWave.NAMESPACE],
    ['CustomResourceDefinition', SyncWave.CRDS],
    ['ClusterRoleBinding', SyncWave.RBAC],
    ['ServiceAccount', SyncWave.RBAC],
    ['ValidatingWebhookConfiguration', SyncWave.CONFIG],
    ['Service', SyncWave.CONFIG],
    ['Deployment', SyncWave.OPERATOR],
    ['StatefulSet', SyncWave.OPERATOR],
  ])('platform objects of kind %s go to wave %d', (kind, wave) => {
    expect(SyncWave._platformWave(kind)).toBe(wave);
  });
});
