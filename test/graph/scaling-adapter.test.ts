import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { dgd, synthValid, validationErrors } from './synth';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, Frontend, GpuProfile, HpaPoolAutoscaler, KedaPoolAutoscaler, Planner,
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

  test('scalingAdapter: true with an explicit replica count is refused at synth', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
    new AggregatedPool(graph, 'Worker', { model: MODEL, scalingAdapter: true, replicas: 2 });
    expect(validationErrors(chart)).toEqual([
      "[test/qwen/Worker] 'replicas' is 2: DynamoGraphDeploymentScalingAdapter 'qwen-worker' owns the replica count, and a DGD that writes it too is reset on every ArgoCD/Flux sync, undoing each scaling step. allowed: unset while the scaling adapter is on; start more replicas with the autoscaler's minReplicas or the Planner's minEndpoints",
    ]);
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
