/**
 * What a graph does for the safety rails by default: the policy pack on its chart, the documented exceptions
 * recorded on its components, and intent annotations on its worker pods that the policy rules read.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import { dgd, synthValid } from './synth';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, DynamoGraphProps, DynamoPolicy, Frontend, GpuProfile,
  GpuRequest, IntentAnnotations, ModelArchitecture, PolicyPack, PrefillPool,
} from '../../src';

const MODEL = 'Qwen/Qwen3-0.6B';

/** A 70B-class model outside the catalog with full multi-head attention: a large KV cache per token. */
const CUSTOM = ModelArchitecture.custom({
  name: 'acme/mha-70b',
  numLayers: 80,
  hiddenSize: 8192,
  numAttentionHeads: 64,
  numKeyValueHeads: 64,
  intermediateSize: 28672,
  vocabSize: 128256,
  maxContextLength: 131072,
});

function aggregated(props: Partial<DynamoGraphProps> = {}, chart: Chart = Testing.chart()): DynamoGraph {
  const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, ...props });
  new Frontend(graph, 'Frontend');
  new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM });
  return graph;
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('the policy pack is on by default', () => {
  test('a graph applies one pack to its chart, shared by every graph there and returned by DynamoPolicy.apply', () => {
    const chart = Testing.chart();
    const a = aggregated({}, chart);
    const b = new DynamoGraph(chart, 'other', { backend: Backend.VLLM });
    const pack = PolicyPack.of(a)!;
    expect(pack.node.path).toBe('test/DynamoPolicy');
    expect(PolicyPack.of(b)).toBe(pack);
    expect(DynamoPolicy.apply(chart)).toBe(pack);
  });

  test('an error rule fails the synth; policyEnabled: false turns the pack off', () => {
    const bad = (props: Partial<DynamoGraphProps>) => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'big', { backend: Backend.VLLM, ...props });
      new AggregatedPool(graph, 'Worker', { model: CUSTOM.name, architecture: CUSTOM, gpu: GpuProfile.H100_SXM, tensorParallel: 4 });
      return chart;
    };
    expect(() => Testing.synth(bad({}))).toThrow(/\[test\/DynamoPolicy\] DYN-GPU-004 \[test\/big\/Resource\] 'spec\.components\[Worker\]/);
    expect(() => synthValid(bad({ policyEnabled: false }))).not.toThrow();
  });

  test('options reach the pack: warningsAsErrors fails on a pool without GPU node targeting', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, policy: { warningsAsErrors: true } });
    new AggregatedPool(graph, 'Worker', { model: MODEL });
    expect(() => Testing.synth(chart)).toThrow(/DYN-GPU-007/);
  });

  test('a pack the user applies to the App takes over from the graphs\' packs', () => {
    const app = Testing.app();
    aggregated({}, new Chart(app, 'one'));
    aggregated({}, new Chart(app, 'two'));
    const appPack = DynamoPolicy.apply(app, { printWarnings: false });
    const chartPack = app.node.findAll().find((c): c is PolicyPack => c instanceof PolicyPack && c !== appPack)!;
    expect(appPack.findings().map(f => `${f.path} ${f.component} ${f.ruleId}`)).toEqual([
      'one/qwen/Resource Frontend DYN-SEC-006', 'one/qwen/Resource Frontend DYN-SEC-007',
      'one/qwen/Resource Worker DYN-SEC-006', 'one/qwen/Resource Worker DYN-SEC-007',
      'two/qwen/Resource Frontend DYN-SEC-006', 'two/qwen/Resource Frontend DYN-SEC-007',
      'two/qwen/Resource Worker DYN-SEC-006', 'two/qwen/Resource Worker DYN-SEC-007',
    ]);
    expect(chartPack.findings()).toEqual([]);
  });

  test('but not from a pack the graph was given options for', () => {
    const app = Testing.app();
    const graph = aggregated({ policy: { storageThroughputMiBps: 1000 } }, new Chart(app, 'one'));
    DynamoPolicy.apply(app);
    expect(PolicyPack.of(graph)!.node.path).toBe('one/DynamoPolicy');
  });

  test('policy options without the pack are refused', () => {
    expect(() => aggregated({ policyEnabled: false, policy: { warningsAsErrors: true } }))
      .toThrow("[test/qwen] 'policy' is {\"warningsAsErrors\":true}: the graph applies no policy pack to configure. allowed: unset when policyEnabled is false");
  });
});

describe('documented exceptions', () => {
  test.each([DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1])('%s: recorded per component on the DGD, no warning printed', (apiVersion) => {
    const chart = Testing.chart();
    aggregated({ apiVersion }, chart);
    const lines = dgd(synthValid(chart)).metadata.annotations[IntentAnnotations.SUPPRESSED].split('\n');
    expect(lines.map((l: string) => l.split('=')[0])).toEqual([
      'DYN-SEC-006[Frontend]', 'DYN-SEC-006[Worker]', 'DYN-SEC-007[Frontend]', 'DYN-SEC-007[Worker]',
    ]);
    expect(lines[0]).toBe('DYN-SEC-006[Frontend]=Dynamo runtime and planner images run as root (they write under /workspace and /root/.cache)');
    expect(warn).not.toHaveBeenCalled();
  });

  test('a user suppression with another reason wins on its component', () => {
    const chart = Testing.chart();
    const graph = aggregated({}, chart);
    DynamoPolicy.suppress(graph.workerPools[0], 'DYN-SEC-006', 'our mirror of the image runs as root too');
    const recorded = dgd(synthValid(chart)).metadata.annotations[IntentAnnotations.SUPPRESSED];
    expect(recorded).toContain('DYN-SEC-006[Worker]=our mirror of the image runs as root too');
    expect(recorded).toContain('DYN-SEC-006[Frontend]=Dynamo runtime');
  });
});

describe('intent annotations on worker pods', () => {
  test('model, weights, KV bytes per token, max length, GPU memory and parallelism; none on the frontend', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
    new Frontend(graph, 'Frontend');
    new PrefillPool(graph, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2, maxModelLen: 8192 });
    new DecodePool(graph, 'Decode', { model: MODEL, gpuRequest: GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb')) });
    const [frontend, prefill, decode] = dgd(synthValid(chart)).spec.components;
    const arch = ModelArchitecture.of(MODEL);
    expect(frontend.podTemplate.metadata).toBeUndefined();
    expect(prefill.podTemplate.metadata.annotations).toEqual({
      [IntentAnnotations.MODEL]: MODEL,
      [IntentAnnotations.TENSOR_PARALLEL]: '2',
      [IntentAnnotations.PIPELINE_PARALLEL]: '1',
      [IntentAnnotations.MAX_MODEL_LEN]: '8192',
      [IntentAnnotations.GPU_MEMORY_GIB]: '80',
      [IntentAnnotations.WEIGHTS_GIB]: String(Math.ceil(arch.weightBytes() / 1024 ** 3 * 100) / 100),
      [IntentAnnotations.KV_BYTES_PER_TOKEN]: String(arch.kvCacheBytesPerToken()),
    });
    expect(decode.podTemplate.metadata.annotations).toMatchObject({
      [IntentAnnotations.MAX_MODEL_LEN]: String(arch.maxContextLength),
      [IntentAnnotations.GPU_MEMORY_GIB]: '40',
    });
  });

  test('a model outside the catalog without architecture: only what the pool knows', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'x', { backend: Backend.SGLANG, apiVersion: DynamoApiVersion.V1ALPHA1, policyEnabled: false });
    new AggregatedPool(graph, 'Worker', { model: 'acme/private-13b' });
    expect(dgd(synthValid(chart)).spec.services.Worker.extraPodMetadata.annotations).toEqual({
      [IntentAnnotations.MODEL]: 'acme/private-13b',
      [IntentAnnotations.TENSOR_PARALLEL]: '1',
      [IntentAnnotations.PIPELINE_PARALLEL]: '1',
    });
  });

  test('the memory-fit and load-time rules work for a model given by architecture', () => {
    const build = (props: { maxModelLen?: number; startupTimeout?: Duration }) => {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'big', { backend: Backend.VLLM });
      new AggregatedPool(graph, 'Worker', { model: CUSTOM.name, architecture: CUSTOM, gpu: GpuProfile.H100_SXM, tensorParallel: 4, ...props });
      return PolicyPack.of(graph)!.findings().filter(f => f.severity === 'error').map(f => f.ruleId);
    };
    // 2.5 MiB of KV per token: a 131072-token sequence needs 80 GiB per GPU at TP 4.
    expect(build({})).toEqual(['DYN-GPU-004']);
    expect(build({ maxModelLen: 8192 })).toEqual([]);
    // About 150 GiB of weights take 10 minutes to load at the default 250 MiB/s.
    expect(build({ maxModelLen: 8192, startupTimeout: Duration.minutes(5) })).toEqual(['DYN-PRB-001']);
  });

  test('deterministic', () => {
    const render = () => {
      const chart = Testing.chart();
      new AggregatedPool(new DynamoGraph(chart, 'big', { backend: Backend.TRTLLM }), 'Worker',
        { model: CUSTOM.name, architecture: CUSTOM, gpu: GpuProfile.H200_SXM, tensorParallel: 8, maxModelLen: 32768 });
      return JSON.stringify(synthValid(chart));
    };
    expect(render()).toBe(render());
  });
});
