import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { dgd, synthValid, validationErrors } from './synth';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, Frontend, GitOps, GpuProfile, HpaPoolAutoscaler, KedaPoolAutoscaler, Planner,
  PrefillPool, ScalingMetric, ScalingTarget,
} from '../../src';

const MODEL = 'Qwen/Qwen3-0.6B';

describe('scaling adapters and replicas', () => {
  test.each([DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1])('%s: an adapter-owned component carries no replicas; the others keep theirs', (apiVersion) => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, apiVersion, namespace: 'llm' });
    new Frontend(graph, 'Frontend', { replicas: 2 });
    new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, scalingAdapter: true });
    const spec = dgd(synthValid(chart)).spec;
    if (apiVersion === DynamoApiVersion.V1BETA1) {
      expect(spec.components.map((c: any) => [c.name, c.replicas, c.scalingAdapter])).toEqual([['Frontend', 2, undefined], ['Worker', undefined, {}]]);
    } else {
      expect(spec.services.Frontend.replicas).toBe(2);
      expect(spec.services.Worker).not.toHaveProperty('replicas');
      expect(spec.services.Worker.scalingAdapter).toEqual({ enabled: true });
    }
  });

  test.each([DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1])('%s: replicas under an adapter are a starting size: a create-once adapter, none in the DGD', (apiVersion) => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, apiVersion, namespace: 'llm' });
    new Frontend(graph, 'Frontend');
    new PrefillPool(graph, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, replicas: 2 });
    const decode = new DecodePool(graph, 'Decode', { model: MODEL, gpu: GpuProfile.H100_SXM, replicas: 2 });
    new Planner(graph, 'Planner', { maxGpuBudget: 8 });
    const objects = synthValid(chart);
    const spec = dgd(objects).spec;
    const rendered = apiVersion === DynamoApiVersion.V1BETA1 ? spec.components.find((c: any) => c.name === 'Decode') : spec.services.Decode;
    expect(rendered).not.toHaveProperty('replicas');
    const seeds = objects.filter(o => o.kind === 'DynamoGraphDeploymentScalingAdapter');
    expect(seeds.map(o => [o.apiVersion, o.metadata.name, o.spec.replicas])).toEqual([
      [apiVersion, 'qwen-prefill', 2], [apiVersion, 'qwen-decode', 2],
    ]);
    expect(seeds[1].spec.dgdRef).toEqual(apiVersion === DynamoApiVersion.V1BETA1
      ? { name: 'qwen', componentName: 'Decode' } : { name: 'qwen', serviceName: 'Decode' });
    expect(seeds[1].metadata.labels).toEqual({ 'nvidia.com/dynamo-graph-deployment-name': 'qwen', 'nvidia.com/dynamo-component': 'Decode' });
    // Created once by ArgoCD (named hook) and Flux (IfNotPresent), so neither resets what the Planner scaled.
    expect(seeds[1].metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync', 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent', 'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(decode.startingScalingAdapter?.name).toBe('qwen-decode');
  });

  test('GitOps.argoCd puts the starting adapters in the wave before the graphs, with the CRD dry-run skip', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, namespace: 'llm' });
    new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, replicas: 3, scalingAdapter: true });
    GitOps.argoCd(chart);
    const objects = synthValid(chart);
    const wave = (kind: string) => Number(objects.find(o => o.kind === kind).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('DynamoGraphDeploymentScalingAdapter')).toBeLessThan(wave('DynamoGraphDeployment'));
    expect(objects.find(o => o.kind === 'DynamoGraphDeploymentScalingAdapter').metadata.annotations['argocd.argoproj.io/sync-options'])
      .toBe('SkipDryRunOnMissingResource=true');
  });

  test('no starting adapter for 1 replica, for components without an adapter, or for the Planner', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
    new Frontend(graph, 'Frontend', { replicas: 3 });
    new AggregatedPool(graph, 'Worker', { model: MODEL, scalingAdapter: true, replicas: 1 });
    expect(synthValid(chart).filter(o => o.kind === 'DynamoGraphDeploymentScalingAdapter')).toEqual([]);
  });

  test('a starting size of 0, or outside the bounds of the autoscaler that scales the pool, is refused at synth', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, namespace: 'llm' });
    new AggregatedPool(graph, 'Worker', { model: MODEL, scalingAdapter: true, replicas: 0 });
    const other = new AggregatedPool(graph, 'Other', { model: MODEL, replicas: 8 });
    new HpaPoolAutoscaler(chart, 'Hpa', { target: ScalingTarget.pool(other), minReplicas: 2, maxReplicas: 6, metrics: [ScalingMetric.cpuUtilization(60)] });
    expect(validationErrors(chart)).toEqual([
      expect.stringMatching(/^\[test\/qwen\/Worker\] 'replicas' is 0: DynamoGraphDeploymentScalingAdapter 'qwen-worker' starts from it.*allowed: at least 1/),
      expect.stringMatching(/^\[test\/qwen\/Other\] 'replicas' is 8: HpaPoolAutoscaler 'test\/Hpa' scales it within those bounds.*allowed: a starting size from 2 to 6/),
    ]);
  });

  test('the Planner refuses starting sizes beyond its GPU budget', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
    new PrefillPool(graph, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, replicas: 4 });
    new DecodePool(graph, 'Decode', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2, replicas: 4 });
    new Planner(graph, 'Planner', { maxGpuBudget: 8 });
    expect(validationErrors(chart)).toEqual([expect.stringMatching(
      /'maxGpuBudget' is 8: the pools it scales start with 12 GPUs \(Prefill: 4 x 1, Decode: 4 x 2\).*allowed: at least 12 GPUs, or smaller starting replicas/)]);
  });

  test('scaledBy lists the Planner first, then autoscalers in creation order; only the first may drive', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.SGLANG, namespace: 'llm' });
    new Frontend(graph, 'Frontend');
    new PrefillPool(graph, 'Prefill', { model: MODEL });
    const decode = new DecodePool(graph, 'Decode', { model: MODEL });
    const metrics = [ScalingMetric.queuedRequests(4)];
    const hpa = new HpaPoolAutoscaler(chart, 'Hpa', { target: ScalingTarget.pool(decode), maxReplicas: 3, metrics });
    const planner = new Planner(graph, 'Planner');
    expect(decode.scaledBy).toEqual([planner, hpa]);
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/^\[test\/Hpa\] 'target' is 'test\/qwen\/Decode': Planner 'test\/qwen\/Planner' already scales it/)]);
  });

  test('property: whatever drives which component, the DGD writes replicas exactly for components without an adapter', () => {
    // Per component: 0 = nothing, 1 = scalingAdapter: true, 2 = HPA, 3 = KEDA.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }), fc.boolean(), (drivers, withPlanner) => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM, namespace: 'llm' });
      const frontend = new Frontend(graph, 'Frontend');
      const prefill = new PrefillPool(graph, 'Prefill', { model: MODEL, scalingAdapter: drivers[1] === 1 ? true : undefined });
      const decode = new DecodePool(graph, 'Decode', { model: MODEL, scalingAdapter: drivers[2] === 1 ? true : undefined });
      const components = [frontend, prefill, decode];
      if (drivers[0] === 1) drivers[0] = 0; // the frontend's adapter comes from an autoscaler only in this property
      drivers.forEach((d, i) => {
        const props = { target: ScalingTarget.pool(components[i]), maxReplicas: 4, metrics: [ScalingMetric.cpuUtilization(60)] };
        if (d === 2) new HpaPoolAutoscaler(chart, `Hpa${i}`, props);
        if (d === 3) new KedaPoolAutoscaler(chart, `Keda${i}`, props);
      });
      if (withPlanner) new Planner(graph, 'Planner', { maxGpuBudget: 16 });
      // Conflicts are exactly the pools driven by both the Planner and an autoscaler; such an app does not synthesize.
      const conflicts = components.filter((_, i) => withPlanner && i > 0 && drivers[i] >= 2).length;
      expect(validationErrors(chart).filter(e => e.includes('two drivers would fight'))).toHaveLength(conflicts);
      if (conflicts > 0) return;
      const spec = dgd(synthValid(chart)).spec;
      for (const [i, c] of components.entries()) {
        const rendered = spec.components.find((r: any) => r.name === c.componentName);
        const adapter = drivers[i] !== 0 || (withPlanner && i > 0);
        expect(c.scalingAdapterEnabled).toBe(adapter);
        expect(rendered.scalingAdapter).toEqual(adapter ? {} : undefined);
        expect(rendered.replicas).toEqual(adapter ? undefined : 1);
      }
    }), { numRuns: 60 });
  });
});
