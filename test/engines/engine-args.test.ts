import { Backend } from '../../src/engines/backend';
import { EngineArgs, EngineSetting } from '../../src/engines/engine-args';
import { EngineCommands } from '../../src/engines/engine-commands';
import { EngineSettings } from '../../src/engines/engine-settings';
import { KvCacheDtype, Quantization } from '../../src/model/precision';

const BACKENDS = [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM];

function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  const role = overrides.role ?? 'aggregated';
  return {
    backend: Backend.VLLM,
    role,
    disaggregated: role !== 'aggregated',
    model: 'Qwen/Qwen3-0.6B',
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

/** Everything the renderers can emit for a backend: every typed setting set, both roles, KV events, LoRA. */
function everything(backend: Backend): EngineSettings[] {
  const typed: Partial<EngineSettings> = {
    backend,
    tensorParallel: 4,
    pipelineParallel: 2,
    dataParallel: backend === Backend.VLLM ? 2 : 4,
    isMoe: true,
    expertParallel: backend === Backend.VLLM ? 8 : 4,
    maxBatchSize: 64,
    maxNumBatchedTokens: 8192,
    maxModelLen: 32768,
    kvCacheDtype: KvCacheDtype.FP8,
    quantization: backend === Backend.TRTLLM ? undefined : Quantization.FP8,
    gpuMemoryUtilization: 0.85,
    modelPath: '/models/q',
    kvEvents: true,
    lora: backend === Backend.TRTLLM ? undefined : { maxRank: 64 },
  };
  return [settings({ ...typed, role: 'aggregated' }), settings({ ...typed, role: 'prefill' }), settings({ ...typed, role: 'decode' })];
}

describe('EngineArgs.parse reads what the engine reads', () => {
  const tp = (backend: Backend | undefined, ...args: string[]) => EngineArgs.parse(backend, args).int('tensorParallel');
  test.each([
    [Backend.VLLM, ['--tensor-parallel-size', '4']],
    [Backend.VLLM, ['--tensor-parallel-size=4']],
    [Backend.VLLM, ['--tensor_parallel_size=4']],
    [Backend.VLLM, ['-tp', '4']],
    [Backend.VLLM, ['-tp=4']],
    [Backend.VLLM, ['--tensor-parallel-size 4']],
    [Backend.VLLM, ['--tensor-par', '4']],
    [Backend.SGLANG, ['--tensor-parallel-size', '4']],
    [Backend.SGLANG, ['--tp', '4']],
    [Backend.SGLANG, ['--tp-size=4']],
    [Backend.TRTLLM, ['--tensor_parallel_size', '4']],
    [undefined, ['--tp-size', '4']],
    [Backend.VLLM, ['--tensor-parallel-size', '2', '--max-num-seqs', '8', '--tensor_parallel_size=4']],
  ])('%s %j: TP 4', (backend, args) => {
    expect(tp(backend, ...args)).toBe(4);
  });

  test('switches, negations, short options with attached values, values that look negative', () => {
    const a = EngineArgs.parse(Backend.VLLM, ['--enable-expert-parallel', '--no-enable-expert-parallel', '-qfp8', '--foo', '-1', '--bar']);
    expect(a.value('expertParallel')).toBe('false');
    expect(a.on('expertParallel')).toBe(false);
    expect(a.value('quantization')).toBe('fp8');
    expect(a.raw('--foo')).toBe('-1');
    expect(a.raw('--bar')).toBeUndefined();
    expect(a.all.map(x => x.index)).toEqual([0, 1, 2, 3, 5]);
  });

  test('an abbreviation of flags of two settings is ambiguous (argparse refuses it)', () => {
    const [arg] = EngineArgs.parse(Backend.VLLM, ['--max-num', '8']).all;
    expect(arg.ambiguous).toEqual(['maxBatchSize', 'maxNumBatchedTokens']);
    expect(arg.setting).toBeUndefined();
  });

  test('JSON values stay one value; a shell line splits into words', () => {
    const json = '{"publisher": "zmq", "endpoint": "tcp://*:5557"}';
    expect(EngineArgs.parse(Backend.SGLANG, ['--kv-events-config', json]).value('kvEventsConfig')).toBe(json);
    expect(EngineArgs.parse(Backend.SGLANG, [`--kv-events-config=${json}`]).value('kvEventsConfig')).toBe(json);
    expect(EngineArgs.shellSplit(`python3 -m dynamo.vllm --kv-events-config '${json}' --tp 2`))
      .toEqual(['python3', '-m', 'dynamo.vllm', '--kv-events-config', json, '--tp', '2']);
  });
});

describe('extraArgs cannot set what the typed props own, in any spelling', () => {
  const OWNED: Array<[EngineSetting, RegExp]> = [
    ['model', /set model or modelCache instead/],
    ['servedModelName', /set model instead/],
    ['role', /set the pool class \(PrefillPool, DecodePool, EncodePool\) instead/],
    ['multimodal', /set multimodal on the pool \(or an EncodePool\) instead/],
    ['multimodalRole', /set the graph's multimodal pattern/],
    ['tensorParallel', /set tensorParallel instead/],
    ['pipelineParallel', /set pipelineParallel instead/],
    ['dataParallel', /set dataParallel instead/],
    ['expertParallel', /set expertParallel instead/],
    ['maxBatchSize', /set maxBatchSize instead/],
    ['maxNumBatchedTokens', /set maxNumBatchedTokens instead/],
    ['maxModelLen', /set maxModelLen instead/],
    ['kvCacheDtype', /set kvCacheDtype instead/],
    ['quantization', /set quantization instead/],
    ['gpuMemoryUtilization', /set gpuMemoryUtilization instead/],
    ['engineConfig', /engine YAML/],
    ['bootstrapPort', /set bootstrapPort instead/],
    ['multinode', /the operator adds the multinode launch flags to each pod itself.*set nodeCount instead/],
  ];
  const cases = BACKENDS.flatMap(backend => OWNED.flatMap(([setting, message]) => EngineArgs.spellings(backend, setting)
    .flatMap(flag => {
      const long = flag.startsWith('--');
      const forms = [[flag, '4'], [`${flag}=4`], [`${flag} 4`], ...(long ? [[`--${flag.slice(2).replace(/-/g, '_')}=4`]] : [])];
      return forms.map(extraArgs => [backend, setting, extraArgs, message] as const);
    })));

  test('the table covers each backend', () => {
    expect(cases.length).toBeGreaterThan(150);
  });

  test.each(cases)('%s %s: %j', (backend, _setting, extraArgs, message) => {
    expect(() => EngineCommands.render(settings({ backend, extraArgs: [...extraArgs] }), 'G/P')).toThrow(message);
  });

  test('an abbreviation names the flag the engine reads it as', () => {
    expect(() => EngineCommands.render(settings({ extraArgs: ['--tensor-par', '4'] }), 'G/P'))
      .toThrow(/'extraArgs' is '--tensor-par': .*\(the engine reads --tensor-par as --tensor-parallel-size\)\. allowed: engine flags other than --tensor-parallel-size; set tensorParallel instead/);
    expect(() => EngineCommands.render(settings({ extraArgs: ['--max-num', '4'] }), 'G/P'))
      .toThrow(/'extraArgs' is '--max-num': --max-num abbreviates flags of several settings \(maxBatchSize, maxNumBatchedTokens\)/);
  });
});

describe('extraArgs never duplicate a flag the pool renders', () => {
  test.each(BACKENDS)('%s: every flag the renderers emit is in the engine\'s table (so its duplicates are caught)', (backend) => {
    for (const s of everything(backend)) {
      const args = EngineCommands.render(s).args;
      const unknown = EngineArgs.parse(backend, args).all.filter(a => a.setting === undefined).map(a => a.flag);
      expect(unknown).toEqual([]);
      // ... and each of them is refused in extraArgs.
      for (const a of EngineArgs.parse(backend, args).all) {
        const extra = a.value === 'true' ? [a.flag] : [a.flag, a.value ?? 'x'];
        expect(() => EngineCommands.render({ ...s, extraArgs: extra })).toThrow(/'extraArgs' is /);
      }
    }
  });

  test('a fixed flag is refused where it is rendered and allowed where it is not', () => {
    expect(() => EngineCommands.render(settings({ backend: Backend.SGLANG, extraArgs: ['--page-size', '32'] }), 'G/P'))
      .toThrow(/'extraArgs' is '--page-size': the library renders --page-size 16 already, and a second one would override it\. allowed: engine flags the library does not render/);
    expect(() => EngineCommands.render(settings({ kvEvents: true, extraArgs: ['--kv-events-config={}'] }), 'G/P')).toThrow(/renders --kv-events-config/);
    expect(EngineCommands.render(settings({ extraArgs: ['--kv-events-config={}'] })).args.slice(-1)).toEqual(['--kv-events-config={}']);
    expect(() => EngineCommands.render(settings({ backend: Backend.TRTLLM, extraArgs: ['--publish-kv-events'] }), 'G/P'))
      .toThrow(/the library renders --publish-events-and-metrics already/);
  });

  test('one element holding a flag of no setting and its value is refused; flags with values in one element via = pass', () => {
    expect(() => EngineCommands.render(settings({ extraArgs: ['--enforce-eager --foo'] }), 'G/P'))
      .toThrow(/'extraArgs' is '--enforce-eager --foo': one element holds a flag and its value.*allowed: the flag and its value as separate elements/);
    expect(EngineCommands.render(settings({ extraArgs: ['--chat-template=a b'] })).args.slice(-1)).toEqual(['--chat-template=a b']);
  });
});

describe('SGLang bootstrapPort', () => {
  const sglang = (overrides: Partial<EngineSettings>) => settings({ backend: Backend.SGLANG, role: 'prefill', ...overrides });
  const port = (s: EngineSettings) => EngineArgs.parse(s.backend, EngineCommands.render(s).args).int('bootstrapPort');
  test('12345 unless set', () => {
    expect(port(sglang({}))).toBe(12345);
    expect(port(sglang({ bootstrapPort: 23456, role: 'decode' }))).toBe(23456);
  });
  test.each([
    [{ bootstrapPort: 80 }, /'bootstrapPort' is 80: allowed: a whole number from 1024 to 65535/],
    [{ bootstrapPort: 9090 }, /'bootstrapPort' is 9090: 9090 is the system port of every worker pod\. allowed: a port other than/],
    [{ bootstrapPort: Number.NaN }, /'bootstrapPort' is NaN/],
    [{ bootstrapPort: 23456, role: 'aggregated' as const }, /'bootstrapPort' is 23456: only SGLang's disaggregated engines run a bootstrap server \(backend sglang, role aggregated\)/],
    [{ bootstrapPort: 23456, backend: Backend.VLLM }, /only SGLang's disaggregated engines run a bootstrap server \(backend vllm/],
  ])('%j is refused', (overrides, message) => {
    expect(() => EngineCommands.render(sglang(overrides), 'G/P')).toThrow(message);
  });
});
