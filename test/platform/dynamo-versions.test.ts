import { Testing } from 'cdk8s';
import { Backend, DynamoGraph, DynamoGraphDeploymentRequest, DynamoPlatform, DynamoRuntime, DynamoVersions, Planner } from '../../src';

const tag = (image: string) => image.slice(image.lastIndexOf(':') + 1);
const semver = (v: string) => v.split('.').map(Number);
const atLeast = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  const i = x.findIndex((n, k) => n !== y[k]);
  return i < 0 || x[i] > y[i];
};

describe('DynamoVersions: the one place the default versions are paired', () => {
  test('every default image and version comes from it', () => {
    const chart = Testing.chart();
    const platform = new DynamoPlatform(chart, 'Platform');
    const graph = new DynamoGraph(chart, 'g', { backend: Backend.SGLANG, namespace: 'llm' });
    const request = new DynamoGraphDeploymentRequest(chart, 'Req', { model: 'Qwen/Qwen3-0.6B', name: 'qwen', namespace: 'llm' });
    expect(platform.version).toBe(DynamoVersions.OPERATOR);
    expect(tag(platform.image)).toBe(DynamoVersions.OPERATOR);
    expect(tag(graph.image)).toBe(DynamoVersions.RUNTIME);
    expect(DynamoVersions.RUNTIME).toBe(DynamoRuntime.DEFAULT_VERSION);
    expect(tag(Planner.DEFAULT_IMAGE)).toBe(DynamoVersions.PLANNER);
    expect(request.image).toBe(Planner.DEFAULT_IMAGE);
  });

  test('the pairing holds: the operator is at least as new as the images it runs; the Planner ships with the runtime', () => {
    expect(atLeast(DynamoVersions.OPERATOR, DynamoVersions.RUNTIME)).toBe(true);
    expect(DynamoVersions.PLANNER).toBe(DynamoVersions.RUNTIME);
    // The comparison itself.
    expect([atLeast('1.4.0', '1.3.0'), atLeast('1.3.0', '1.3.0'), atLeast('1.3.0', '1.10.0')]).toEqual([true, true, false]);
  });
});
