import * as fc from 'fast-check';
import { parse } from 'yaml';
import { Backend } from '../../src/engines/backend';
import { EngineCommands } from '../../src/engines/engine-commands';
import { EngineSettings, WorkerRole } from '../../src/engines/engine-settings';
import { KvCacheDtype, Quantization } from '../../src/model/precision';

const MODEL = 'Qwen/Qwen3-0.6B';

function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  const role = overrides.role ?? 'aggregated';
  return {
    backend: Backend.VLLM,
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
    ...overrides,
  };
}

/** Value following `flag` in argv, or undefined when the flag is absent. */
function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

const BACKENDS = [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM];
const ROLES: WorkerRole[] = ['aggregated', 'prefill', 'decode'];

describe('EngineCommands.render: backend x role snapshots', () => {
  for (const backend of BACKENDS) {
    for (const role of ROLES) {
      for (const kvEvents of [false, true]) {
        test(`${backend} ${role}${kvEvents ? ' + KV events' : ''}`, () => {
          const cmd = EngineCommands.render(settings({ backend, role, kvEvents, tensorParallel: 2 }));
          expect(cmd).toMatchSnapshot();
        });
      }
    }
  }
});

describe('vLLM', () => {
  test('module, model and parallelism flags', () => {
    const cmd = EngineCommands.render(settings({ tensorParallel: 4, pipelineParallel: 2, dataParallel: 2, expertParallel: 8, isMoe: true }));
    expect(cmd.command).toEqual(['python3', '-m', 'dynamo.vllm']);
    expect(valueOf(cmd.args, '--model')).toBe(MODEL);
    expect(cmd.args).not.toContain('--served-model-name');
    expect(valueOf(cmd.args, '--tensor-parallel-size')).toBe('4');
    expect(valueOf(cmd.args, '--pipeline-parallel-size')).toBe('2');
    expect(valueOf(cmd.args, '--data-parallel-size')).toBe('2');
    expect(cmd.args).toContain('--enable-expert-parallel');
  });

  test('a local model path serves under the Hugging Face id', () => {
    const cmd = EngineCommands.render(settings({ modelPath: '/models/qwen' }));
    expect(valueOf(cmd.args, '--model')).toBe('/models/qwen');
    expect(valueOf(cmd.args, '--served-model-name')).toBe(MODEL);
  });

  test('limits, dtypes and memory', () => {
    const cmd = EngineCommands.render(settings({
      maxBatchSize: 256,
      maxNumBatchedTokens: 8192,
      maxModelLen: 32768,
      kvCacheDtype: KvCacheDtype.FP8,
      quantization: Quantization.NVFP4,
      gpuMemoryUtilization: 0.85,
    }));
    expect(valueOf(cmd.args, '--max-num-seqs')).toBe('256');
    expect(valueOf(cmd.args, '--max-num-batched-tokens')).toBe('8192');
    expect(valueOf(cmd.args, '--max-model-len')).toBe('32768');
    expect(valueOf(cmd.args, '--kv-cache-dtype')).toBe('fp8');
    expect(valueOf(cmd.args, '--quantization')).toBe('modelopt_fp4');
    expect(valueOf(cmd.args, '--gpu-memory-utilization')).toBe('0.85');
  });

  test('BF16 emits neither quantization nor kv-cache dtype', () => {
    const cmd = EngineCommands.render(settings({ quantization: Quantization.BF16, kvCacheDtype: KvCacheDtype.BF16 }));
    expect(cmd.args).not.toContain('--quantization');
    expect(cmd.args).not.toContain('--kv-cache-dtype');
  });

  test.each(['prefill', 'decode'] as WorkerRole[])('%s worker: disaggregation mode and NIXL transfer config as one JSON arg', (role) => {
    const cmd = EngineCommands.render(settings({ role }));
    expect(valueOf(cmd.args, '--disaggregation-mode')).toBe(role);
    expect(JSON.parse(valueOf(cmd.args, '--kv-transfer-config')!)).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
  });

  test('aggregated worker has no disaggregation flags', () => {
    const cmd = EngineCommands.render(settings());
    expect(cmd.args).not.toContain('--disaggregation-mode');
    expect(cmd.args).not.toContain('--kv-transfer-config');
    expect(cmd.args).not.toContain('--kv-events-config');
  });

  test('KV routing publishes ZMQ KV events', () => {
    const cmd = EngineCommands.render(settings({ kvEvents: true }));
    expect(JSON.parse(valueOf(cmd.args, '--kv-events-config')!)).toEqual({
      publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:20080', enable_kv_cache_events: true,
    });
  });

  test('LoRA flags and env', () => {
    const cmd = EngineCommands.render(settings({ lora: { maxRank: 64 } }));
    expect(cmd.args).toContain('--enable-lora');
    expect(valueOf(cmd.args, '--max-lora-rank')).toBe('64');
    expect(cmd.env).toEqual([{ name: 'DYN_LORA_ENABLED', value: 'true' }, { name: 'DYN_LORA_PATH', value: '/tmp/dynamo-loras' }]);
    expect(cmd.args).not.toContain('--lora-target-modules');
  });

  test('multinode flags are left to the operator', () => {
    const cmd = EngineCommands.render(settings({ tensorParallel: 16, nodeCount: 2 }));
    for (const flag of ['--nnodes', '--node-rank', '--master-addr', '--headless', '--distributed-executor-backend']) {
      expect(cmd.args).not.toContain(flag);
    }
  });
});

describe('SGLang', () => {
  test('model, served name, fixed flags and parallelism', () => {
    const cmd = EngineCommands.render(settings({
      backend: Backend.SGLANG, tensorParallel: 8, pipelineParallel: 2, dataParallel: 8, expertParallel: 8, isMoe: true,
    }));
    expect(cmd.command).toEqual(['python3', '-m', 'dynamo.sglang']);
    expect(valueOf(cmd.args, '--model-path')).toBe(MODEL);
    expect(valueOf(cmd.args, '--served-model-name')).toBe(MODEL);
    expect(valueOf(cmd.args, '--page-size')).toBe('16');
    expect(valueOf(cmd.args, '--tp-size')).toBe('8');
    expect(valueOf(cmd.args, '--pp-size')).toBe('2');
    expect(valueOf(cmd.args, '--dp-size')).toBe('8');
    expect(cmd.args).toContain('--enable-dp-attention');
    expect(valueOf(cmd.args, '--ep-size')).toBe('8');
    expect(cmd.args).toEqual(expect.arrayContaining(['--trust-remote-code', '--skip-tokenizer-init']));
  });

  test('limits, dtypes and memory', () => {
    const cmd = EngineCommands.render(settings({
      backend: Backend.SGLANG,
      maxBatchSize: 128,
      maxNumBatchedTokens: 4096,
      maxModelLen: 8192,
      kvCacheDtype: KvCacheDtype.FP8,
      quantization: Quantization.FP8,
      gpuMemoryUtilization: 0.8,
    }));
    expect(valueOf(cmd.args, '--max-running-requests')).toBe('128');
    expect(valueOf(cmd.args, '--chunked-prefill-size')).toBe('4096');
    expect(valueOf(cmd.args, '--context-length')).toBe('8192');
    expect(valueOf(cmd.args, '--kv-cache-dtype')).toBe('fp8_e4m3');
    expect(valueOf(cmd.args, '--quantization')).toBe('fp8');
    expect(valueOf(cmd.args, '--mem-fraction-static')).toBe('0.8');
  });

  test.each(['prefill', 'decode'] as WorkerRole[])('%s worker: NIXL transfer, bootstrap port, host', (role) => {
    const cmd = EngineCommands.render(settings({ backend: Backend.SGLANG, role, modelPath: '/models/q' }));
    expect(valueOf(cmd.args, '--model-path')).toBe('/models/q');
    expect(valueOf(cmd.args, '--served-model-name')).toBe(MODEL);
    expect(valueOf(cmd.args, '--disaggregation-mode')).toBe(role);
    expect(valueOf(cmd.args, '--disaggregation-transfer-backend')).toBe('nixl');
    expect(valueOf(cmd.args, '--disaggregation-bootstrap-port')).toBe('12345');
    expect(valueOf(cmd.args, '--host')).toBe('0.0.0.0');
  });

  test('KV routing publishes on port 5557', () => {
    const cmd = EngineCommands.render(settings({ backend: Backend.SGLANG, kvEvents: true }));
    expect(JSON.parse(valueOf(cmd.args, '--kv-events-config')!)).toEqual({ publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:5557' });
  });

  test('multinode sets the Gloo interface and no multinode flags', () => {
    const cmd = EngineCommands.render(settings({ backend: Backend.SGLANG, tensorParallel: 8, nodeCount: 2 }));
    expect(cmd.env).toEqual([{ name: 'GLOO_SOCKET_IFNAME', value: 'eth0' }]);
    for (const flag of ['--nnodes', '--node-rank', '--dist-init-addr']) expect(cmd.args).not.toContain(flag);
  });
});

describe('TRT-LLM', () => {
  test('command points at the mounted engine YAML', () => {
    const cmd = EngineCommands.render(settings({ backend: Backend.TRTLLM, role: 'prefill', kvEvents: true }));
    expect(cmd.command).toEqual(['python3', '-m', 'dynamo.trtllm']);
    expect(valueOf(cmd.args, '--model-path')).toBe(MODEL);
    expect(valueOf(cmd.args, '--served-model-name')).toBe(MODEL);
    expect(cmd.configFiles).toHaveLength(1);
    const [file] = cmd.configFiles;
    expect(valueOf(cmd.args, '--extra-engine-args')).toBe(`${file.mountPath}/${file.fileName}`);
    expect(file.fileName).toBe('prefill.yaml');
    expect(valueOf(cmd.args, '--disaggregation-mode')).toBe('prefill');
    expect(cmd.args).toContain('--publish-events-and-metrics');
  });

  test('engine metrics are always exported, so autoscalers and dashboards have something to read', () => {
    for (const kvEvents of [false, true]) {
      expect(EngineCommands.render(settings({ backend: Backend.SGLANG, role: 'decode', kvEvents })).args).toContain('--enable-metrics');
      expect(EngineCommands.render(settings({ backend: Backend.TRTLLM, role: 'decode', kvEvents })).args).toContain('--publish-events-and-metrics');
    }
    expect(EngineCommands.render(settings({ backend: Backend.VLLM, role: 'decode', kvEvents: false })).args).not.toContain('--enable-metrics');
  });

  test('engine YAML carries parallelism, limits and KV cache config', () => {
    const cmd = EngineCommands.render(settings({
      backend: Backend.TRTLLM,
      tensorParallel: 8,
      pipelineParallel: 2,
      dataParallel: 8,
      expertParallel: 4,
      isMoe: true,
      maxBatchSize: 64,
      maxNumBatchedTokens: 8192,
      maxModelLen: 16384,
      kvCacheDtype: KvCacheDtype.FP8,
      gpuMemoryUtilization: 0.8,
    }));
    expect(parse(cmd.configFiles[0].content)).toEqual({
      tensor_parallel_size: 8,
      pipeline_parallel_size: 2,
      moe_expert_parallel_size: 4,
      enable_attention_dp: true,
      max_batch_size: 64,
      max_num_tokens: 8192,
      max_seq_len: 16384,
      trust_remote_code: true,
      enable_chunked_prefill: true,
      kv_cache_config: { free_gpu_memory_fraction: 0.8, dtype: 'fp8' },
    });
  });

  test('disaggregated workers get a cache transceiver; prefill disables the overlap scheduler', () => {
    const prefill = parse(EngineCommands.render(settings({ backend: Backend.TRTLLM, role: 'prefill' })).configFiles[0].content);
    const decode = parse(EngineCommands.render(settings({ backend: Backend.TRTLLM, role: 'decode' })).configFiles[0].content);
    expect(prefill.cache_transceiver_config).toEqual({ backend: 'DEFAULT' });
    expect(decode.cache_transceiver_config).toEqual({ backend: 'DEFAULT' });
    expect(prefill.disable_overlap_scheduler).toBe(true);
    expect(decode.disable_overlap_scheduler).toBeUndefined();
    expect(decode.kv_cache_config.free_gpu_memory_fraction).toBe(0.9);
  });

  test('multinode allows mpirun as root and adds no multinode flags', () => {
    const cmd = EngineCommands.render(settings({ backend: Backend.TRTLLM, tensorParallel: 8, nodeCount: 2 }));
    expect(cmd.env.map(e => e.name)).toEqual(['OMPI_ALLOW_RUN_AS_ROOT', 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM']);
    expect(cmd.args.some(a => a.includes('mpirun'))).toBe(false);
  });
});

describe('extraArgs', () => {
  test.each(BACKENDS)('%s: appended last, verbatim', (backend) => {
    const cmd = EngineCommands.render(settings({ backend, extraArgs: ['--foo', '{"a": 1}'] }));
    expect(cmd.args.slice(-2)).toEqual(['--foo', '{"a": 1}']);
  });

  test('a flag a prop owns is refused even where the prop is unset: the prop is the one way to set it', () => {
    expect(() => EngineCommands.render(settings({ extraArgs: ['--max-num-seqs', '16'] }), 'Graph/Pool'))
      .toThrow(/\[Graph\/Pool\] 'extraArgs' is '--max-num-seqs':.*allowed: engine flags other than --max-num-seqs; set maxBatchSize instead/);
    const cmd = EngineCommands.render(settings({ maxBatchSize: 8, extraArgs: ['--model-loader-extra-config={}'] }));
    expect(cmd.args.slice(-3)).toEqual(['--max-num-seqs', '8', '--model-loader-extra-config={}']);
  });
});

describe('gpusPerEngine', () => {
  test('vLLM DP multiplies GPUs; SGLang and TRT-LLM attention DP does not', () => {
    const p = { tensorParallel: 4, pipelineParallel: 2, dataParallel: 2 };
    expect(EngineCommands.gpusPerEngine({ backend: Backend.VLLM, ...p })).toBe(16);
    expect(EngineCommands.gpusPerEngine({ backend: Backend.SGLANG, ...p })).toBe(8);
    expect(EngineCommands.gpusPerEngine({ backend: Backend.TRTLLM, ...p })).toBe(8);
  });
});

describe('validation names scope, setting, value and what is allowed', () => {
  const cases: Array<[string, Partial<EngineSettings>, RegExp]> = [
    ['zero TP', { tensorParallel: 0 }, /\[Graph\/Pool\] 'tensorParallel' is 0:.*allowed: a whole number from 1 to 1024/],
    ['fractional PP', { pipelineParallel: 1.5 }, /'pipelineParallel' is 1\.5:.*allowed: a whole number/],
    ['negative batch', { maxBatchSize: -1 }, /'maxBatchSize' is -1:.*allowed: a whole number >= 1/],
    ['memory fraction above 1', { gpuMemoryUtilization: 1.2 }, /'gpuMemoryUtilization' is 1\.2:.*allowed: a fraction in \(0, 1\]/],
    ['EP on a dense model', { expertParallel: 2, tensorParallel: 2, isMoe: false }, /'expertParallel' is 2: expert parallelism needs a mixture-of-experts model\. allowed: 1 for a dense model/],
    ['vLLM EP not TP x DP', { expertParallel: 2, tensorParallel: 4, isMoe: true }, /'expertParallel' is 2:.*allowed: 1 or tensorParallel x dataParallel \(4\)/],
    ['SGLang DP not dividing TP', { backend: Backend.SGLANG, tensorParallel: 4, dataParallel: 3 }, /'dataParallel' is 3:.*allowed: a divisor of tensorParallel \(4\)/],
    ['SGLang EP not dividing TP', { backend: Backend.SGLANG, tensorParallel: 4, expertParallel: 3 }, /'expertParallel' is 3:.*allowed: a divisor of tensorParallel \(4\)/],
    ['TRT-LLM DP neither 1 nor TP', { backend: Backend.TRTLLM, tensorParallel: 4, dataParallel: 2 }, /'dataParallel' is 2:.*allowed: 1 or tensorParallel \(4\)/],
    ['TRT-LLM LoRA', { backend: Backend.TRTLLM, lora: { maxRank: 8 } }, /'lora' is \{"maxRank":8\}: backend is trtllm\. allowed: LoRA adapters on the vLLM or SGLang backend/],
    ['vLLM LoRA rank', { lora: { maxRank: 48 } }, /'lora\.maxRank' is 48:.*allowed: one of 1, 8, 16/],
    ['role without disaggregation', { role: 'aggregated', disaggregated: true }, /'role' is 'aggregated':.*allowed: prefill or decode in a disaggregated graph/],
    ['model with spaces', { model: 'my model' }, /'model' is 'my model':.*allowed: a non-empty model id without whitespace/],
    ['relative model path', { modelPath: 'models/q' }, /'modelPath' is 'models\/q':.*allowed: an absolute path/],
    ['empty extra arg', { extraArgs: [''] }, /'extraArgs' is \[""\]:.*allowed: non-empty strings/],
    // The GPU request, the served name and the role follow the props; an override in extraArgs would desync them.
    ['vLLM TP in extraArgs', { extraArgs: ['--tensor-parallel-size', '4'] }, /'extraArgs' is '--tensor-parallel-size':.*allowed: engine flags other than --tensor-parallel-size; set tensorParallel instead/],
    ['vLLM -tp=4 in extraArgs', { extraArgs: ['-tp=4'] }, /'extraArgs' is '-tp=4':.*set tensorParallel instead/],
    ['SGLang --tp in extraArgs', { backend: Backend.SGLANG, extraArgs: ['--tp', '8'] }, /'extraArgs' is '--tp':.*set tensorParallel instead/],
    ['served model name in extraArgs', { backend: Backend.SGLANG, extraArgs: ['--served-model-name=foo'] }, /'extraArgs' is '--served-model-name=foo':.*set model instead/],
    ['TRT-LLM engine YAML in extraArgs', { backend: Backend.TRTLLM, extraArgs: ['--extra-engine-args', '/x.yaml'] }, /'extraArgs' is '--extra-engine-args':.*engine YAML/],
    ['role in extraArgs', { extraArgs: ['--disaggregation-mode', 'prefill'] }, /set the pool class \(PrefillPool, DecodePool, EncodePool\) instead/],
    // operator-facts §3: the operator appends these to each pod of a multinode engine.
    ['vLLM --nnodes in extraArgs', { extraArgs: ['--nnodes', '2'] }, /'extraArgs' is '--nnodes': the operator adds the multinode launch flags to each pod itself\. allowed: .*set nodeCount instead/],
    ['SGLang --dist-init-addr in extraArgs', { backend: Backend.SGLANG, extraArgs: ['--dist-init-addr', 'x:1'] }, /'extraArgs' is '--dist-init-addr':.*set nodeCount instead/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(() => EngineCommands.render(settings(overrides), 'Graph/Pool')).toThrow(message);
  });
});

describe('property: every valid setting renders a clean, deterministic argv', () => {
  const arb = fc.record({
    backend: fc.constantFrom(...BACKENDS),
    role: fc.constantFrom(...ROLES),
    tpExp: fc.integer({ min: 0, max: 4 }),
    pp: fc.integer({ min: 1, max: 4 }),
    dpMode: fc.boolean(),
    epMode: fc.boolean(),
    maxBatchSize: fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }),
    maxNumBatchedTokens: fc.option(fc.integer({ min: 1, max: 1_048_576 }), { nil: undefined }),
    maxModelLen: fc.option(fc.integer({ min: 1, max: 1_048_576 }), { nil: undefined }),
    kvCacheDtype: fc.option(fc.constantFrom(...Object.values(KvCacheDtype)), { nil: undefined }),
    quantization: fc.option(fc.constantFrom(...Object.values(Quantization)), { nil: undefined }),
    gpuMemoryUtilization: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
    kvEvents: fc.boolean(),
    nodeCount: fc.integer({ min: 1, max: 4 }),
    modelPath: fc.option(fc.constant('/models/m'), { nil: undefined }),
  });

  test('no undefined/NaN/empty values, same output twice', () => {
    fc.assert(fc.property(arb, (a) => {
      const tp = 2 ** a.tpExp;
      // DP/EP choices that each backend accepts.
      const dp = a.dpMode ? (a.backend === Backend.VLLM ? 2 : tp) : 1;
      const ep = a.epMode ? (a.backend === Backend.VLLM ? tp * dp : tp) : 1;
      const s = settings({
        backend: a.backend,
        role: a.role,
        tensorParallel: tp,
        pipelineParallel: a.pp,
        dataParallel: dp,
        expertParallel: ep,
        isMoe: ep > 1 ? true : undefined,
        maxBatchSize: a.maxBatchSize,
        maxNumBatchedTokens: a.maxNumBatchedTokens,
        maxModelLen: a.maxModelLen,
        kvCacheDtype: a.kvCacheDtype,
        quantization: a.quantization,
        gpuMemoryUtilization: a.gpuMemoryUtilization,
        kvEvents: a.kvEvents,
        nodeCount: a.nodeCount,
        modelPath: a.modelPath,
      });
      const first = EngineCommands.render(s);
      const second = EngineCommands.render(s);
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      const strings = [...first.command, ...first.args, ...first.env.flatMap(e => [e.name, e.value]),
        ...first.configFiles.flatMap(f => [f.fileName, f.mountPath, f.content])];
      for (const value of strings) {
        expect(typeof value).toBe('string');
        expect(value.length).toBeGreaterThan(0);
        expect(value).not.toMatch(/undefined|NaN|null/);
      }
      // Every flag is unique: a later duplicate would silently override an earlier one.
      const flags = first.args.filter(x => x.startsWith('--'));
      expect(new Set(flags).size).toBe(flags.length);
    }));
  });
});
