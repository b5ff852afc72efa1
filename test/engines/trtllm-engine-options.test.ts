import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, GpuProfile, KvCacheDtype, PrefillPool, TrtllmCacheTransceiverBackend,
  TrtllmEngineOptions,
} from '../../src';
import { EngineCommands } from '../../src/engines/engine-commands';
import { EngineSettings, WorkerRole } from '../../src/engines/engine-settings';
import { dgd, mainContainer, synthValid } from '../graph/synth';

const MODEL = 'Qwen/Qwen3-0.6B';

function settings(role: WorkerRole, trtllm: TrtllmEngineOptions, overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    backend: Backend.TRTLLM,
    role,
    disaggregated: role !== 'aggregated',
    model: MODEL,
    tensorParallel: 1,
    pipelineParallel: 1,
    dataParallel: 1,
    expertParallel: 1,
    kvEvents: false,
    nodeCount: 1,
    extraArgs: [],
    trtllm,
    ...overrides,
  };
}

function yamlOf(role: WorkerRole, trtllm: TrtllmEngineOptions, overrides: Partial<EngineSettings> = {}): any {
  return parse(EngineCommands.render(settings(role, trtllm, overrides)).configFiles[0].content);
}

describe('TRT-LLM engine options', () => {
  test('typed keys and extraConfig are merged into the engine YAML the pool renders; library keys stay', () => {
    const config = yamlOf('decode', {
      cudaGraphs: { padding: true, batchSizes: [1, 2, 4, 8, 16], maxBatchSize: 16 },
      overlapScheduler: false,
      kvCacheBlockReuse: false,
      cacheTransceiverBackend: TrtllmCacheTransceiverBackend.UCX,
      cacheTransceiverMaxTokensInBuffer: 8448,
      extraConfig: { kv_cache_config: { max_tokens: 65536 }, moe_config: { backend: 'CUTLASS' }, print_iter_log: false },
    }, { gpuMemoryUtilization: 0.5, maxBatchSize: 16, kvCacheDtype: KvCacheDtype.FP8 });
    expect(config).toEqual({
      tensor_parallel_size: 1,
      pipeline_parallel_size: 1,
      max_batch_size: 16,
      trust_remote_code: true,
      disable_overlap_scheduler: true,
      cuda_graph_config: { enable_padding: true, batch_sizes: [1, 2, 4, 8, 16], max_batch_size: 16 },
      kv_cache_config: { free_gpu_memory_fraction: 0.5, dtype: 'fp8', enable_block_reuse: false, max_tokens: 65536 },
      cache_transceiver_config: { backend: 'UCX', max_tokens_in_buffer: 8448 },
      moe_config: { backend: 'CUTLASS' },
      print_iter_log: false,
    });
  });

  test('without options the YAML is unchanged: prefill never overlaps scheduling, others use the engine default', () => {
    expect(yamlOf('prefill', {}).disable_overlap_scheduler).toBe(true);
    expect(yamlOf('decode', {})).not.toHaveProperty('disable_overlap_scheduler');
    expect(yamlOf('decode', { overlapScheduler: true }).disable_overlap_scheduler).toBe(false);
    expect(yamlOf('aggregated', {})).not.toHaveProperty('cache_transceiver_config');
  });

  test.each([
    ['a library key in extraConfig names its prop', 'aggregated', { extraConfig: { max_batch_size: 8 } }, {},
      /'trtllm\.extraConfig\.max_batch_size' is 8: the library writes this key from a typed setting\. allowed: keys other than max_batch_size; set maxBatchSize instead/],
    ['a nested library key', 'decode', { extraConfig: { kv_cache_config: { free_gpu_memory_fraction: 0.5 } } }, {},
      /'trtllm\.extraConfig\.kv_cache_config\.free_gpu_memory_fraction' is 0\.5:.*set gpuMemoryUtilization instead/],
    ['a typed option again', 'decode', { extraConfig: { cuda_graph_config: {} } }, {}, /set trtllm\.cudaGraphs instead/],
    ['a key that is not snake_case', 'aggregated', { extraConfig: { 'Max Tokens': 1 } }, {}, /'trtllm\.extraConfig' is 'Max Tokens'/],
    ['a value YAML cannot hold', 'aggregated', { extraConfig: { x: Number.NaN } }, {}, /'trtllm\.extraConfig\.x' is NaN/],
    ['overlap on a prefill pool', 'prefill', { overlapScheduler: true }, {}, /'trtllm\.overlapScheduler' is true:.*allowed: false or unset on a PrefillPool/],
    ['a transceiver on an aggregated pool', 'aggregated', { cacheTransceiverBackend: TrtllmCacheTransceiverBackend.NIXL }, {},
      /'trtllm\.cacheTransceiverBackend' is 'NIXL':.*allowed: unset except on a PrefillPool or DecodePool/],
    ['an unknown transceiver', 'decode', { cacheTransceiverBackend: 'RDMA' as TrtllmCacheTransceiverBackend }, {}, /allowed: DEFAULT, UCX, NIXL, MPI/],
    ['a bad CUDA graph size', 'decode', { cudaGraphs: { batchSizes: [0] } }, {}, /'trtllm\.cudaGraphs\.batchSizes\[0\]' is 0/],
    ['options on another backend', 'aggregated', { overlapScheduler: false }, { backend: Backend.VLLM },
      /'trtllm' is \["overlapScheduler"\]: backend is vllm\. allowed: unset on a vLLM or SGLang pool/],
    ['in-image file with typed options', 'aggregated', { configFileInImage: '/workspace/agg.yaml', overlapScheduler: false }, {},
      /'trtllm\.overlapScheduler' is false:.*allowed: unset with trtllm\.configFileInImage/],
    ['in-image file with an engine limit', 'aggregated', { configFileInImage: '/workspace/agg.yaml' }, { maxModelLen: 8192 },
      /'maxModelLen' is 8192: the engine YAML in the image decides it/],
    ['in-image file that is no YAML', 'aggregated', { configFileInImage: '/workspace/agg.json' }, {}, /'trtllm\.configFileInImage' is '\/workspace\/agg\.json'/],
  ] as Array<[string, WorkerRole, TrtllmEngineOptions, Partial<EngineSettings>, RegExp]>)('refused: %s', (_name, role, trtllm, overrides, message) => {
    expect(() => EngineCommands.render(settings(role, trtllm, overrides), 'g/W')).toThrow(message);
  });

  test('an engine YAML from the image: no ConfigMap, the path and the parallelism as flags', () => {
    for (const apiVersion of [DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1]) {
      const chart = Testing.chart();
      const graph = new DynamoGraph(chart, 'g', { backend: Backend.TRTLLM, apiVersion });
      new AggregatedPool(graph, 'Worker', {
        model: MODEL,
        gpu: GpuProfile.H100_SXM,
        tensorParallel: 2,
        workingDir: '/workspace',
        trtllm: { configFileInImage: './examples/backends/trtllm/engine_configs/qwen3/agg.yaml' },
      });
      const objects = synthValid(chart);
      expect(objects.filter(o => o.kind === 'ConfigMap')).toEqual([]);
      const spec = dgd(objects).spec;
      const main = apiVersion === DynamoApiVersion.V1BETA1 ? mainContainer(spec.components[0]) : spec.services.Worker.extraPodSpec.mainContainer;
      expect(main.args).toEqual(['--model-path', MODEL, '--served-model-name', MODEL,
        '--extra-engine-args', './examples/backends/trtllm/engine_configs/qwen3/agg.yaml', '--tensor-parallel-size', '2', '--publish-events-and-metrics']);
      expect(main.workingDir).toBe('/workspace');
      expect(main.volumeMounts).toBeUndefined();
    }
  });

  test('pools render the merged YAML into their ConfigMap, whose hash rolls the pods', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'g', { backend: Backend.TRTLLM });
    const trtllm = { cudaGraphs: { maxBatchSize: 64 }, extraConfig: { print_iter_log: true } };
    new PrefillPool(graph, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, trtllm });
    new DecodePool(graph, 'Decode', { model: MODEL, gpu: GpuProfile.H100_SXM, trtllm: { ...trtllm, overlapScheduler: false } });
    const objects = synthValid(chart);
    const decode = parse(objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'g-decode-engine').data['decode.yaml']);
    expect(decode).toMatchObject({ cuda_graph_config: { max_batch_size: 64 }, print_iter_log: true, disable_overlap_scheduler: true });
  });
});
