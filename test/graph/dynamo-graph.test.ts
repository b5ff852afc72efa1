import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { dgd, mainContainer, synthValid, validationErrors } from './synth';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, DynamoRuntime, Frontend, GpuProfile, PrefillPool,
} from '../../src';
import { expectValid } from '../support/validate';

const MODEL = 'Qwen/Qwen3-0.6B';

describe('DynamoGraph', () => {
  test('defaults: v1beta1, backend runtime image, components in order', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
    new Frontend(graph, 'Frontend');
    new AggregatedPool(graph, 'VllmWorker', { model: MODEL, gpu: GpuProfile.H100_SXM });
    const objects = synthValid(chart);
    expect(objects).toMatchSnapshot();

    const d = dgd(objects);
    expect(d.apiVersion).toBe('nvidia.com/v1beta1');
    expect(d.metadata.name).toBe('qwen');
    expect(d.spec.backendFramework).toBe('vllm');
    expect(d.spec.components.map((c: any) => [c.name, c.type])).toEqual([['Frontend', 'frontend'], ['VllmWorker', 'worker']]);
    for (const c of d.spec.components) {
      expect(mainContainer(c).image).toBe('nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0');
      expect(c.runtimeVersionOverride).toBeUndefined();
    }
    expect(graph.components.map(c => c.componentName)).toEqual(['Frontend', 'VllmWorker']);
  });

  test('the same tree renders v1alpha1: services map, componentType, extraPodSpec.mainContainer', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.SGLANG, apiVersion: DynamoApiVersion.V1ALPHA1 });
    new Frontend(graph, 'Frontend');
    new PrefillPool(graph, 'prefill', { model: MODEL, gpu: GpuProfile.H100_SXM });
    new DecodePool(graph, 'decode', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2 });
    const objects = synthValid(chart);
    expect(objects).toMatchSnapshot();

    const spec = dgd(objects).spec;
    expect(dgd(objects).apiVersion).toBe('nvidia.com/v1alpha1');
    expect(Object.keys(spec.services).sort()).toEqual(['Frontend', 'decode', 'prefill']);
    expect(spec.services.prefill).toMatchObject({ componentType: 'worker', subComponentType: 'prefill' });
    expect(spec.services.decode.resources.limits.gpu).toBe('2');
    expect(spec.services.decode.sharedMemory).toEqual({ size: '8Gi' });
    expect(spec.services.decode.extraPodSpec.mainContainer.image).toBe('nvcr.io/nvidia/ai-dynamo/sglang-runtime:1.3.0');
    expect(spec.services.decode.extraPodSpec.containers).toBeUndefined();
  });

  test('graph-wide env, secrets by reference, labels, annotations, priority class', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', {
      backend: Backend.VLLM,
      env: { LOG_LEVEL: 'debug' },
      secretEnv: { HF_TOKEN: { secretName: 'hf-token-secret', key: 'HF_TOKEN' } },
      envFromSecret: 'extra-secrets',
      labels: { team: 'llm' },
      annotations: { 'nvidia.com/enable-grove': 'false' },
      priorityClassName: 'inference-high',
    });
    new AggregatedPool(graph, 'VllmWorker', { model: MODEL, gpu: GpuProfile.H100_SXM });
    const d = dgd(synthValid(chart));
    expect(d.metadata.labels).toEqual({ team: 'llm' });
    expect(d.spec.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } },
    ]);
    expect(d.spec.annotations).toEqual({ 'nvidia.com/enable-grove': 'false' });
    // The DGD-level field is Grove-only (rejected elsewhere): the pods carry it instead.
    expect(d.spec.priorityClassName).toBeUndefined();
    expect(d.spec.components[0].podTemplate.spec.priorityClassName).toBe('inference-high');
    expect(mainContainer(d.spec.components[0]).envFrom).toEqual([{ secretRef: { name: 'extra-secrets' } }]);
  });

  test('a non-semver image tag gets runtimeVersionOverride derived, or demands it', () => {
    const chart = Testing.chart();
    const derived = new DynamoGraph(chart, 'derived', { backend: Backend.VLLM, image: 'registry.local/vllm-runtime:1.3.0.post1' });
    new AggregatedPool(derived, 'Worker', { model: MODEL });
    const explicit = new DynamoGraph(chart, 'explicit', { backend: Backend.VLLM, image: 'registry.local/vllm-runtime:my-build', runtimeVersionOverride: '1.4.0' });
    new AggregatedPool(explicit, 'Worker', { model: MODEL });
    const objects = synthValid(chart);
    expect(objects.map(o => o.spec.components[0].runtimeVersionOverride)).toEqual(['1.3.0', '1.4.0']);

    const bad = Testing.chart();
    const graph = new DynamoGraph(bad, 'g', { backend: Backend.VLLM, image: 'registry.local/vllm-runtime:latest' });
    new AggregatedPool(graph, 'Worker', { model: MODEL });
    expect(() => Testing.synth(bad)).toThrow(/\[test\/g\/Worker\] 'runtimeVersionOverride' is undefined: the operator requires it because image 'registry.local\/vllm-runtime:latest' has no semver tag\. allowed: .*MAJOR\.MINOR\.PATCH/);
    expect(() => new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM, runtimeVersionOverride: 'v1.4' }))
      .toThrow(/'runtimeVersionOverride' is 'v1.4'.*allowed: MAJOR.MINOR.PATCH/);
  });

  test('DynamoRuntime pins every backend image to the default version', () => {
    expect([Backend.VLLM, Backend.SGLANG, Backend.TRTLLM].map(b => DynamoRuntime.image(b))).toEqual([
      `nvcr.io/nvidia/ai-dynamo/vllm-runtime:${DynamoRuntime.DEFAULT_VERSION}`,
      `nvcr.io/nvidia/ai-dynamo/sglang-runtime:${DynamoRuntime.DEFAULT_VERSION}`,
      `nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime:${DynamoRuntime.DEFAULT_VERSION}`,
    ]);
  });

  test('scalingAdapterName is <graph>-<lower-cased component>', () => {
    const graph = new DynamoGraph(Testing.chart(), 'qwen', { backend: Backend.VLLM });
    const pool = new AggregatedPool(graph, 'VllmWorker', { model: MODEL, scalingAdapter: true });
    expect(graph.scalingAdapterName(pool)).toBe('qwen-vllmworker');
  });

  test('synth output is byte-identical across runs', () => {
    const render = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.TRTLLM, env: { B: '2', A: '1' } });
      new Frontend(graph, 'Frontend');
      new PrefillPool(graph, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM });
      new DecodePool(graph, 'Decode', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2 });
      return app.synthYaml();
    };
    const yaml = render();
    expect(render()).toBe(yaml);
    expectValid(parseAllDocuments(yaml).map(d => d.toJSON()));
  });

  describe('rejects', () => {
    test('invalid graph names', () => {
      for (const name of ['Upper', '1starts-with-digit', 'has_underscore', 'a'.repeat(64)]) {
        expect(() => new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM, name }))
          .toThrow(new RegExp(`\\[test/g\\] 'name' is '${name}': allowed: lower-case letters, digits and '-', starting with a letter`));
      }
    });

    test('invalid component names and duplicates ignoring case', () => {
      const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
      expect(() => new Frontend(graph, 'F', { componentName: 'bad_name' })).toThrow(/\[test\/g\/F\] 'componentName' is 'bad_name': allowed: letters, digits and '-'/);
      new Frontend(graph, 'Frontend');
      expect(() => new Frontend(graph, 'Other', { componentName: 'frontend' }))
        .toThrow(/\[test\/g\/Other\] 'componentName' is 'frontend': 'test\/g\/Frontend' already uses it\. allowed: a name unique in the graph, ignoring case/);
    });

    test('negative replicas', () => {
      const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
      expect(() => new AggregatedPool(graph, 'W', { model: MODEL, replicas: -1 })).toThrow(/\[test\/g\/W\] 'replicas' is -1: allowed: a whole number from 0 to/);
    });

    test('a decode pool without a prefill pool, and vice versa', () => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
      new DecodePool(graph, 'Decode', { model: MODEL });
      expect(validationErrors(chart)).toEqual([expect.stringMatching(/^\[test\/g\] 'components' is \["Decode:decode"\]: it has a DecodePool but no PrefillPool\. allowed: a disaggregated graph with both/)]);
      const other = Testing.chart();
      new PrefillPool(new DynamoGraph(other, 'g', { backend: Backend.VLLM }), 'Prefill', { model: MODEL });
      expect(validationErrors(other)[0]).toMatch(/it has a PrefillPool but no DecodePool/);
    });

    test('aggregated pools mixed with disaggregated ones', () => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
      new AggregatedPool(graph, 'Agg', { model: MODEL });
      new PrefillPool(graph, 'Prefill', { model: MODEL });
      new DecodePool(graph, 'Decode', { model: MODEL });
      expect(validationErrors(chart)).toEqual([expect.stringMatching(/'components' is .*allowed: either AggregatedPools or PrefillPool \+ DecodePool, not both/)]);
    });

    test('an empty graph and more than 25 components', () => {
      const empty = Testing.chart();
      new DynamoGraph(empty, 'g', { backend: Backend.VLLM });
      expect(validationErrors(empty)[0]).toMatch(/\[test\/g\] 'components' is 0: the operator rejects an empty graph\. allowed: at least one component/);
      const big = Testing.chart();
      const graph = new DynamoGraph(big, 'g', { backend: Backend.VLLM });
      for (let i = 0; i < 26; i++) new AggregatedPool(graph, `W${i}`, { model: MODEL });
      expect(validationErrors(big)).toContainEqual(expect.stringMatching(/'components' is 26: the CRD limit\. allowed: at most 25 components/));
    });

    test('graph + component names too long for the operator\'s object names', () => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'a'.repeat(40), { backend: Backend.VLLM });
      new AggregatedPool(graph, 'w'.repeat(20), { model: MODEL });
      expect(validationErrors(chart)[0]).toMatch(/'name' is 'a{40}': the operator names objects of component 'w{20}' 'a{40}-w{20}' \(61 characters\) plus a 9-character hash\. allowed: graph name \+ '-' \+ component name of at most 54 characters/);
    });

    test('credentials as literal env', () => {
      expect(() => new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM, env: { HF_TOKEN: 'hf_abc' } }))
        .toThrow(/\[test\/g\] 'env.HF_TOKEN' is '<redacted>': credentials must not be written into manifests as literals\. allowed: a secret reference in 'secretEnv'/);
    });

    test('a pool whose backend differs from the graph\'s', () => {
      const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
      expect(() => new AggregatedPool(graph, 'W', { model: MODEL, backend: Backend.SGLANG }))
        .toThrow(/\[test\/g\/W\] 'backend' is 'sglang': one graph runs one engine \(DGD backendFramework\)\. allowed: the graph's backend 'vllm'/);
    });

    test('invalid labels', () => {
      expect(() => new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM, labels: { team: 'has space' } }))
        .toThrow(/'labels.team' is 'has space': allowed: a label value/);
    });
  });
});
