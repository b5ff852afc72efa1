import { Duration, Testing } from 'cdk8s';
import { FluxKustomization, FluxSourceKind } from '../../src';
import { expectValid } from '../support/validate';

describe('FluxKustomization', () => {
  test('platform first, graphs depend on it', () => {
    const chart = Testing.chart();
    const platform = new FluxKustomization(chart, 'Platform', { name: 'dynamo-platform', path: './dist/platform' });
    new FluxKustomization(chart, 'Graphs', {
      name: 'dynamo-graphs',
      path: './dist/graphs',
      dependsOn: [platform],
      interval: Duration.minutes(5),
      timeout: Duration.seconds(90),
      retryInterval: Duration.seconds(30),
      sourceRef: { name: 'apps', kind: FluxSourceKind.OCI_REPOSITORY },
    });
    const objects = Testing.synth(chart);
    expect(objects[0]).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'dynamo-platform', namespace: 'flux-system' },
      spec: {
        interval: '10m', timeout: '15m', retryInterval: '2m', path: './dist/platform', prune: true, wait: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      },
    });
    expect(objects[1].spec).toMatchObject({ interval: '5m', timeout: '90s', retryInterval: '30s', dependsOn: [{ name: 'dynamo-platform' }], sourceRef: { kind: 'OCIRepository', name: 'apps' } });
    expect(objects).toMatchSnapshot();
    expectValid(objects);
  });

  test('bad input', () => {
    const chart = Testing.chart();
    expect(() => new FluxKustomization(chart, 'A', { path: '../outside' })).toThrow(/\[test\/A\] 'path' is '\.\.\/outside'/);
    expect(() => new FluxKustomization(chart, 'B', { path: './x', interval: Duration.millis(10) })).toThrow(/'interval' is '10 millis'/);
    expect(() => new FluxKustomization(chart, 'D', { path: './x', retryInterval: Duration.millis(1500) })).toThrow(/'retryInterval' is '1 second 500 millis'/);
    expect(() => new FluxKustomization(chart, 'C', { path: './x', sourceRef: { name: 'Bad' } })).toThrow(/'sourceRef\.name' is 'Bad'/);
  });
});
