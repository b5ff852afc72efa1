/**
 * Multimodal graphs: each backend x pattern of the upstream support matrix renders the module, role flags and
 * multimodal opt-ins of the facts sheet (multimodal-facts.md §4-6), and everything else is an error that says why.
 */
import { Size, Testing } from 'cdk8s';
import { dgd, mainContainer, synthValid, validationErrors } from './synth';
import { EXAMPLES } from '../../examples';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, EncodePool, Frontend, GpuProfile, GpuRequest, HpaPoolAutoscaler,
  DynamoModel, ModelCache, ModelSource, MultimodalPattern, MultimodalSupport, Planner, PrefillPool, ScalingMetric, ScalingTarget, WorkerPoolProps,
} from '../../src';

const VLM = 'Qwen/Qwen3-VL-2B-Instruct';
/** The model upstream's SGLang encode-worker launchers serve, with SGLang's qwen2-vl chat template. */
const SGLANG_VLM = 'Qwen/Qwen2.5-VL-7B-Instruct';

interface Built {
  readonly graph: DynamoGraph;
  readonly objects: any[];
  /** Component name -> its v1beta1 entry. */
  readonly components: Record<string, any>;
}

function graphOf(backend: Backend, pattern: MultimodalPattern, extra: Partial<WorkerPoolProps> = {}, apiVersion?: DynamoApiVersion) {
  const chart = Testing.chart();
  const graph = new DynamoGraph(chart, 'vlm', { backend, namespace: 'dynamo', apiVersion });
  new Frontend(graph, 'Frontend');
  const model = backend === Backend.SGLANG ? SGLANG_VLM : VLM;
  const llm = { model, gpu: GpuProfile.H100_SXM, multimodal: {}, ...extra };
  if (pattern === MultimodalPattern.E_PD || pattern === MultimodalPattern.E_P_D) new EncodePool(graph, 'EncodeWorker', { model, gpu: GpuProfile.L4 });
  if (pattern === MultimodalPattern.EPD || pattern === MultimodalPattern.E_PD) {
    new AggregatedPool(graph, 'Worker', llm);
  } else {
    new PrefillPool(graph, 'Prefill', llm);
    new DecodePool(graph, 'Decode', llm);
  }
  return { chart, graph };
}

function build(backend: Backend, pattern: MultimodalPattern): Built {
  const { chart, graph } = graphOf(backend, pattern);
  const objects = synthValid(chart);
  const components = Object.fromEntries(dgd(objects).spec.components.map((c: any) => [c.name, c]));
  return { graph, objects, components };
}

/** The main container's argv after the module. */
function args(component: any): string[] {
  return mainContainer(component).args;
}

/** `--flag value` pairs and bare flags as one lookup: value, `true` for a bare flag, undefined when absent. */
function flag(component: any, name: string): string | true | undefined {
  const a = args(component);
  const i = a.indexOf(name);
  if (i < 0) return undefined;
  return i + 1 < a.length && !a[i + 1].startsWith('--') ? a[i + 1] : true;
}

const NIXL = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';

describe('the support matrix', () => {
  test('vLLM and SGLang run all four patterns; TRT-LLM all but E/PD', () => {
    const all = [MultimodalPattern.EPD, MultimodalPattern.E_PD, MultimodalPattern.E_P_D, MultimodalPattern.EP_D];
    expect(MultimodalSupport.patterns(Backend.VLLM)).toEqual(all);
    expect(MultimodalSupport.patterns(Backend.SGLANG)).toEqual(all);
    expect(MultimodalSupport.patterns(Backend.TRTLLM)).toEqual([MultimodalPattern.EPD, MultimodalPattern.E_P_D, MultimodalPattern.EP_D]);
    expect(MultimodalSupport.supports(Backend.TRTLLM, MultimodalPattern.E_PD)).toBe(false);
  });

  test('an example for every backend x pattern the matrix allows', () => {
    const slug = (p: MultimodalPattern) => p.toLowerCase().replace(/\//g, '-');
    const names = EXAMPLES.map(e => e.name);
    for (const backend of Object.values(Backend)) {
      for (const pattern of MultimodalSupport.patterns(backend)) expect(names).toContain(`${backend}-multimodal-${slug(pattern)}`);
    }
    expect(names.filter(n => n.includes('-multimodal-'))).toHaveLength(11);
  });

  test('an unsupported pattern is an error naming the supported ones', () => {
    const { chart } = graphOf(Backend.TRTLLM, MultimodalPattern.E_PD);
    expect(validationErrors(chart)).toEqual([
      '[test/vlm] \'components\' is ["EncodeWorker:EncodePool","Worker:AggregatedPool"]: its pools make the E/PD pattern, which the upstream'
      + ' support matrix does not list for trtllm. allowed: the patterns trtllm runs: EPD, E/P/D, EP/D',
    ]);
  });

  test('the pattern follows from the pools', () => {
    for (const pattern of Object.values(MultimodalPattern)) {
      expect(graphOf(Backend.VLLM, pattern).graph.multimodalPattern).toBe(pattern);
    }
    const chart = Testing.chart();
    const text = new DynamoGraph(chart, 'text', { backend: Backend.VLLM });
    new AggregatedPool(text, 'Worker', { model: 'Qwen/Qwen3-8B' });
    expect(text.multimodalPattern).toBeUndefined();
  });
});

describe('vLLM (python3 -m dynamo.vllm)', () => {
  test('EPD: one worker with --enable-multimodal and no role flags', () => {
    const { components: c } = build(Backend.VLLM, MultimodalPattern.EPD);
    expect(Object.keys(c)).toEqual(['Frontend', 'Worker']);
    expect(c.Worker.type).toBe('worker');
    expect(mainContainer(c.Worker).command).toEqual(['python3', '-m', 'dynamo.vllm']);
    expect(args(c.Worker).slice(0, 2)).toEqual(['--model', VLM]);
    expect(flag(c.Worker, '--enable-multimodal')).toBe(true);
    for (const f of ['--disaggregation-mode', '--route-to-encoder', '--enable-mm-embeds', '--kv-transfer-config']) expect(flag(c.Worker, f)).toBeUndefined();
  });

  test('E/PD: encode worker, and a PD worker that routes to it and takes embeddings', () => {
    const { components: c } = build(Backend.VLLM, MultimodalPattern.E_PD);
    expect(Object.keys(c)).toEqual(['Frontend', 'EncodeWorker', 'Worker']);
    expect([c.EncodeWorker.type, c.Worker.type]).toEqual(['worker', 'worker']);
    expect(flag(c.EncodeWorker, '--enable-multimodal')).toBe(true);
    expect(flag(c.EncodeWorker, '--disaggregation-mode')).toBe('encode');
    expect(mainContainer(c.EncodeWorker).env).toContainEqual({ name: 'VLLM_USE_V2_MODEL_RUNNER', value: '0' });
    expect(flag(c.EncodeWorker, '--kv-transfer-config')).toBeUndefined();
    expect(flag(c.Worker, '--disaggregation-mode')).toBe('pd');
    expect(flag(c.Worker, '--route-to-encoder')).toBe(true);
    expect(flag(c.Worker, '--enable-mm-embeds')).toBe(true);
    expect(flag(c.Worker, '--enable-multimodal')).toBe(true);
  });

  test('E/P/D (prefill-first): the prefill worker routes to the encoder; NIXL on all three', () => {
    const { components: c } = build(Backend.VLLM, MultimodalPattern.E_P_D);
    expect(Object.keys(c)).toEqual(['Frontend', 'EncodeWorker', 'Prefill', 'Decode']);
    expect([c.EncodeWorker.type, c.Prefill.type, c.Decode.type]).toEqual(['worker', 'prefill', 'decode']);
    expect(flag(c.EncodeWorker, '--disaggregation-mode')).toBe('encode');
    expect(flag(c.EncodeWorker, '--kv-transfer-config')).toBe(NIXL);
    expect(flag(c.Prefill, '--disaggregation-mode')).toBe('prefill');
    expect(flag(c.Prefill, '--route-to-encoder')).toBe(true);
    expect(flag(c.Prefill, '--enable-mm-embeds')).toBe(true);
    expect(flag(c.Prefill, '--kv-transfer-config')).toBe(NIXL);
    expect(flag(c.Decode, '--disaggregation-mode')).toBe('decode');
    expect(flag(c.Decode, '--route-to-encoder')).toBeUndefined();
    expect(flag(c.Decode, '--enable-mm-embeds')).toBe(true);
    expect(flag(c.Decode, '--kv-transfer-config')).toBe(NIXL);
  });

  test('EP/D: prefill encodes inline, decode takes embeddings', () => {
    const { components: c } = build(Backend.VLLM, MultimodalPattern.EP_D);
    expect(Object.keys(c)).toEqual(['Frontend', 'Prefill', 'Decode']);
    expect(flag(c.Prefill, '--enable-multimodal')).toBe(true);
    expect(flag(c.Prefill, '--disaggregation-mode')).toBe('prefill');
    expect(flag(c.Prefill, '--enable-mm-embeds')).toBeUndefined();
    expect(flag(c.Prefill, '--route-to-encoder')).toBeUndefined();
    expect(flag(c.Decode, '--enable-mm-embeds')).toBe(true);
    expect(flag(c.Decode, '--kv-transfer-config')).toBe(NIXL);
  });

  test('image limit and embedding cache', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'vlm', { backend: Backend.VLLM });
    new AggregatedPool(graph, 'Worker', { model: VLM, gpu: GpuProfile.H100_SXM, multimodal: { maxImagesPerPrompt: 4, embeddingCacheGiB: 10 } });
    const worker = dgd(synthValid(chart)).spec.components[0];
    expect(flag(worker, '--limit-mm-per-prompt')).toBe('{"image":4}');
    expect(flag(worker, '--multimodal-embedding-cache-capacity-gb')).toBe('10');
  });
});

describe('SGLang (python3 -m dynamo.sglang)', () => {
  test('EPD: one worker with the upstream flags and --enable-multimodal', () => {
    const { components: c } = build(Backend.SGLANG, MultimodalPattern.EPD);
    expect(mainContainer(c.Worker).command).toEqual(['python3', '-m', 'dynamo.sglang']);
    expect(flag(c.Worker, '--model-path')).toBe(SGLANG_VLM);
    expect(flag(c.Worker, '--page-size')).toBe('16');
    expect(flag(c.Worker, '--tp-size')).toBe('1');
    for (const f of ['--enable-multimodal', '--trust-remote-code', '--skip-tokenizer-init']) expect(flag(c.Worker, f)).toBe(true);
    expect(flag(c.Worker, '--disaggregation-mode')).toBeUndefined();
    expect(flag(c.Worker, '--dedicated-mm-encoder')).toBeUndefined();
  });

  test('E/PD: a public encode worker with the qwen2-vl template; a PD worker on a dedicated encoder', () => {
    const { components: c } = build(Backend.SGLANG, MultimodalPattern.E_PD);
    expect(flag(c.EncodeWorker, '--enable-multimodal')).toBe(true);
    expect(flag(c.EncodeWorker, '--disaggregation-mode')).toBe('encode');
    expect(flag(c.EncodeWorker, '--chat-template')).toBe('qwen2-vl');
    expect(flag(c.EncodeWorker, '--skip-tokenizer-init')).toBe(true);
    expect(flag(c.EncodeWorker, '--dedicated-mm-encoder')).toBeUndefined();
    expect(flag(c.Worker, '--dedicated-mm-encoder')).toBe(true);
    expect(flag(c.Worker, '--disaggregation-mode')).toBe('pd');
    expect(flag(c.Worker, '--disable-radix-cache')).toBe(true);
    expect(flag(c.Worker, '--disaggregation-transfer-backend')).toBe('nixl');
    expect(flag(c.Worker, '--chat-template')).toBeUndefined();
  });

  test('E/P/D (decode-first): both prefill and decode on the dedicated encoder; radix cache off on prefill only', () => {
    const { components: c } = build(Backend.SGLANG, MultimodalPattern.E_P_D);
    expect(flag(c.EncodeWorker, '--disaggregation-mode')).toBe('encode');
    for (const [name, mode] of [['Prefill', 'prefill'], ['Decode', 'decode']]) {
      expect(flag(c[name], '--enable-multimodal')).toBe(true);
      expect(flag(c[name], '--dedicated-mm-encoder')).toBe(true);
      expect(flag(c[name], '--disaggregation-mode')).toBe(mode);
      expect(flag(c[name], '--disaggregation-bootstrap-port')).toBe('12345');
      expect(flag(c[name], '--host')).toBe('0.0.0.0');
      expect(flag(c[name], '--disaggregation-transfer-backend')).toBe('nixl');
    }
    expect(flag(c.Prefill, '--disable-radix-cache')).toBe(true);
    expect(flag(c.Decode, '--disable-radix-cache')).toBeUndefined();
  });

  test('EP/D (native): both sides preprocess the media themselves, no dedicated encoder', () => {
    const { components: c } = build(Backend.SGLANG, MultimodalPattern.EP_D);
    for (const name of ['Prefill', 'Decode']) {
      expect(flag(c[name], '--enable-multimodal')).toBe(true);
      expect(flag(c[name], '--dedicated-mm-encoder')).toBeUndefined();
      expect(flag(c[name], '--disaggregation-transfer-backend')).toBe('nixl');
    }
  });
});

describe('TRT-LLM (python3 -m dynamo.trtllm)', () => {
  const engineYaml = (objects: any[], file: string) => objects.find(o => o.kind === 'ConfigMap' && o.data?.[file])?.data[file];

  test('EPD: one aggregated worker with --enable-multimodal', () => {
    const { components: c } = build(Backend.TRTLLM, MultimodalPattern.EPD);
    expect(mainContainer(c.Worker).command).toEqual(['python3', '-m', 'dynamo.trtllm']);
    expect(flag(c.Worker, '--enable-multimodal')).toBe(true);
    expect(flag(c.Worker, '--extra-engine-args')).toBe('/etc/dynamo/trtllm/agg.yaml');
    expect(flag(c.Worker, '--disaggregation-mode')).toBeUndefined();
  });

  test('E/P/D (prefill-first): the prefill worker calls the encoder at the graph\'s Dynamo namespace', () => {
    const { components: c, objects } = build(Backend.TRTLLM, MultimodalPattern.E_P_D);
    expect(flag(c.EncodeWorker, '--disaggregation-mode')).toBe('encode');
    expect(flag(c.EncodeWorker, '--extra-engine-args')).toBe('/etc/dynamo/trtllm/encode.yaml');
    expect(flag(c.EncodeWorker, '--publish-events-and-metrics')).toBeUndefined();
    // encode.yaml: TP only, no KV section.
    expect(engineYaml(objects, 'encode.yaml')).toBe('tensor_parallel_size: 1\npipeline_parallel_size: 1\ntrust_remote_code: true\n');
    expect(flag(c.Prefill, '--disaggregation-mode')).toBe('prefill');
    expect(flag(c.Prefill, '--encode-endpoint')).toBe('dyn://$(DYN_NAMESPACE).encode.generate');
    expect(flag(c.Decode, '--disaggregation-mode')).toBe('decode');
    expect(flag(c.Decode, '--encode-endpoint')).toBeUndefined();
    for (const name of ['EncodeWorker', 'Prefill', 'Decode']) expect(flag(c[name], '--enable-multimodal')).toBe(true);
    expect(engineYaml(objects, 'prefill.yaml')).toMatch(/cache_transceiver_config/);
  });

  test('EP/D: prefill encodes inline', () => {
    const { components: c } = build(Backend.TRTLLM, MultimodalPattern.EP_D);
    expect(flag(c.Prefill, '--disaggregation-mode')).toBe('prefill');
    expect(flag(c.Prefill, '--encode-endpoint')).toBeUndefined();
    expect(flag(c.Decode, '--enable-multimodal')).toBe(true);
  });
});

describe('v1alpha1', () => {
  test('the encode worker is a worker service without subComponentType; prefill and decode keep theirs', () => {
    const { chart } = graphOf(Backend.VLLM, MultimodalPattern.E_P_D, {}, DynamoApiVersion.V1ALPHA1);
    const services = dgd(synthValid(chart)).spec.services;
    expect(services.EncodeWorker.componentType).toBe('worker');
    expect(services.EncodeWorker.subComponentType).toBeUndefined();
    expect([services.Prefill.subComponentType, services.Decode.subComponentType]).toEqual(['prefill', 'decode']);
    expect(services.EncodeWorker.extraPodSpec.mainContainer.args).toContain('encode');
  });
});

describe('encode workers as pods of their own', () => {
  test('own GPU request, node targeting, tolerations and model cache mount', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'vlm', { backend: Backend.VLLM, namespace: 'dynamo' });
    const cache = new ModelCache(chart, 'Cache', { model: VLM, namespace: 'dynamo', size: Size.gibibytes(20) });
    new EncodePool(graph, 'Encode', {
      model: VLM,
      gpuRequest: GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('1g.10gb')),
      modelCache: cache,
      tolerations: [{ key: 'pool', operator: 'Equal', value: 'vision', effect: 'NoSchedule' }],
      replicas: 3,
    });
    new AggregatedPool(graph, 'Worker', { model: VLM, gpu: GpuProfile.H100_SXM, modelCache: cache, multimodal: {} });
    const [encode] = dgd(synthValid(chart)).spec.components;
    const pod = encode.podTemplate.spec;
    expect(encode.replicas).toBe(3);
    expect(mainContainer(encode).resources.limits['nvidia.com/mig-1g.10gb']).toBe(1);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-A100-SXM4-80GB'] }]);
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'pool', operator: 'Equal', value: 'vision', effect: 'NoSchedule' },
    ]);
    expect(flag(encode, '--model')).toBe(cache.modelPath);
    expect(flag(encode, '--served-model-name')).toBe(VLM);
    expect(pod.volumes.map((v: any) => v.persistentVolumeClaim?.claimName)).toContain(cache.claimName);
    // The encoder sizes against its vision tower (1.2 GiB), not the 4 GiB checkpoint: a 10 GB slice is plenty.
    expect(encode.podTemplate.metadata.annotations['cdk8s-dynamo.io/weights-gib']).toBe('0.76');
    expect(encode.podTemplate.metadata.annotations['cdk8s-dynamo.io/max-model-len']).toBeUndefined();
  });

  test('the encoder\'s memory and head checks use the vision encoder', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'vlm', { backend: Backend.VLLM });
    // Qwen3-VL-32B's 66 GiB language model would never fit an L4; its 1.2 GiB encoder does.
    expect(() => new EncodePool(graph, 'Encode', { model: 'Qwen/Qwen3-VL-32B-Instruct', gpu: GpuProfile.L4 })).not.toThrow();
    expect(() => new EncodePool(graph, 'Encode3', { model: 'Qwen/Qwen3-VL-32B-Instruct', gpu: GpuProfile.L4, tensorParallel: 3 }))
      .toThrow(/'tensorParallel' is 3: Qwen\/Qwen3-VL-32B-Instruct's encoder cannot split its heads evenly. allowed: a divisor of the vision encoder's 16 attention heads/);
  });

  test('an HPA scales the encode pool through its own scaling adapter', () => {
    const { chart, graph } = graphOf(Backend.VLLM, MultimodalPattern.E_PD);
    const encode = graph.workerPools.find(p => p instanceof EncodePool)!;
    new HpaPoolAutoscaler(chart, 'EncodeHpa', { target: ScalingTarget.pool(encode), maxReplicas: 4, metrics: [ScalingMetric.cpuUtilization(70)] });
    const objects = synthValid(chart);
    const c = dgd(objects).spec.components.find((x: any) => x.name === 'EncodeWorker');
    expect(c.replicas).toBeUndefined();
    expect(c.scalingAdapter).toEqual({});
    expect(objects.find(o => o.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe('vlm-encodeworker');
  });

  test('the Planner scales the prefill and decode pools of E/P/D and leaves the encoder alone', () => {
    const { chart, graph } = graphOf(Backend.VLLM, MultimodalPattern.E_P_D);
    const planner = new Planner(graph, 'Planner', { maxGpuBudget: 8 });
    expect(planner.scaledPools.map(p => p.componentName)).toEqual(['Prefill', 'Decode']);
    const components = dgd(synthValid(chart)).spec.components;
    expect(components.find((c: any) => c.name === 'EncodeWorker').scalingAdapter).toBeUndefined();
  });

  test('the Planner refuses an E/PD graph, whose encoder is a worker component like the pool it would scale', () => {
    const { chart, graph } = graphOf(Backend.VLLM, MultimodalPattern.E_PD);
    new Planner(graph, 'Planner');
    expect(validationErrors(chart)).toEqual([expect.stringMatching(
      /\[test\/vlm\/Planner\] 'mode' is 'agg': the Planner finds the pool it scales by component type, and EncodePool 'test\/vlm\/EncodeWorker' is a worker component too/)]);
  });
});

describe('LoRA on a multimodal graph', () => {
  test('adapters attach to the language-model pools, not to the encoder of the same checkpoint', () => {
    const { chart, graph } = graphOf(Backend.VLLM, MultimodalPattern.E_PD);
    new DynamoModel(chart, 'Lora', { graph, modelName: 'acme/vl-lora', source: ModelSource.s3('adapters', 'vl'), maxRank: 16 });
    const components = Object.fromEntries(dgd(synthValid(chart)).spec.components.map((c: any) => [c.name, c]));
    expect(flag(components.Worker, '--enable-lora')).toBe(true);
    expect(flag(components.EncodeWorker, '--enable-lora')).toBeUndefined();
  });
});

describe('frontend media settings', () => {
  test('reach the frontend and every multimodal worker', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'vlm', { backend: Backend.VLLM });
    new Frontend(graph, 'Frontend', { multimodal: { allowInternalMediaUrls: true, maxMessageSize: Size.mebibytes(64) } });
    new EncodePool(graph, 'Encode', { model: VLM, gpu: GpuProfile.L4 });
    new AggregatedPool(graph, 'Worker', { model: VLM, gpu: GpuProfile.H100_SXM, multimodal: {} });
    for (const c of dgd(synthValid(chart)).spec.components) {
      expect(mainContainer(c).env).toEqual(expect.arrayContaining([
        { name: 'DYN_MM_ALLOW_INTERNAL', value: '1' }, { name: 'DYN_TCP_MAX_MESSAGE_SIZE', value: '67108864' },
      ]));
    }
  });

  test('on a text-only graph they are an error', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'text', { backend: Backend.VLLM });
    new Frontend(graph, 'Frontend', { multimodal: { allowInternalMediaUrls: true } });
    new AggregatedPool(graph, 'Worker', { model: 'Qwen/Qwen3-8B' });
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/'multimodal' is .*the graph's workers reject requests with media/)]);
  });

  test('a message size outside 1 MiB .. 2 GiB is refused', () => {
    const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
    expect(() => new Frontend(graph, 'F', { multimodal: { maxMessageSize: Size.kibibytes(512) } })).toThrow(/'multimodal.maxMessageSize' is '512Ki'/);
  });
});

describe('errors', () => {
  const chartWith = (backend: Backend, addPools: (g: DynamoGraph) => void) => {
    const chart = Testing.chart();
    addPools(new DynamoGraph(chart, 'g', { backend }));
    return validationErrors(chart);
  };

  test('a text-only pool in a multimodal graph', () => {
    expect(chartWith(Backend.VLLM, g => {
      new EncodePool(g, 'Encode', { model: VLM });
      new AggregatedPool(g, 'Worker', { model: VLM });
    })).toEqual([expect.stringMatching(/'components' is \["Worker:AggregatedPool"\]: the graph is E\/PD, and a text-only pool rejects the image requests routed to it. allowed: multimodal set on every language-model pool/)]);
  });

  test('an encode pool alone, or two of them', () => {
    expect(chartWith(Backend.VLLM, g => new EncodePool(g, 'Encode', { model: VLM })))
      .toEqual([expect.stringMatching(/an encode worker only feeds language-model workers/)]);
    expect(chartWith(Backend.VLLM, g => {
      new EncodePool(g, 'A', { model: VLM });
      new EncodePool(g, 'B', { model: VLM });
      new AggregatedPool(g, 'Worker', { model: VLM, multimodal: {} });
    })).toEqual([expect.stringMatching(/'components' is \["A:EncodePool","B:EncodePool"\]: every encode worker registers the same endpoint/)]);
  });

  test('a runtime older than 1.3.0, whose workers lack the multimodal flags', () => {
    expect(chartWith(Backend.VLLM, g => new AggregatedPool(g, 'Worker', {
      model: VLM, multimodal: {}, image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.2.1',
    }))).toEqual([expect.stringMatching(/'image' is 'nvcr.io\/nvidia\/ai-dynamo\/vllm-runtime:1.2.1': runtime 1.2.1 predates .* allowed: a Dynamo runtime of 1.3.0 or later/)]);
  });

  test('a catalog model without a vision encoder', () => {
    const g = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
    expect(() => new AggregatedPool(g, 'Worker', { model: 'Qwen/Qwen3-8B', multimodal: {} }))
      .toThrow(/'model' is 'Qwen\/Qwen3-8B': Qwen\/Qwen3-8B is a text-only model in the catalog and takes no images/);
  });

  test('a model outside the catalog works, its checks skipped', () => {
    const chart = Testing.chart();
    const g = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
    new EncodePool(g, 'Encode', { model: 'acme/vision-7b', gpu: GpuProfile.L4 });
    new AggregatedPool(g, 'Worker', { model: 'acme/vision-7b', gpu: GpuProfile.L4, multimodal: {} });
    const [encode] = dgd(synthValid(chart)).spec.components;
    expect(encode.podTemplate.metadata.annotations['cdk8s-dynamo.io/weights-gib']).toBeUndefined();
  });

  test('language-model settings on an encode pool, and options the backend or role does not take', () => {
    const g = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
    expect(() => new EncodePool(g, 'E1', { model: VLM, maxModelLen: 4096 }))
      .toThrow(/\[test\/g\/E1\] 'maxModelLen' is 4096: it configures the language model, which the encode worker does not run/);
    expect(() => new DecodePool(g, 'D', { model: VLM, multimodal: { embeddingCacheGiB: 4 } }))
      .toThrow(/'multimodal.embeddingCacheGiB' is 4: the embedding cache sits in the worker that receives or computes the embeddings/);
    expect(() => new AggregatedPool(g, 'W1', { model: VLM, multimodal: { chatTemplate: 'qwen2-vl' } })).toThrow(/'multimodal.chatTemplate' is 'qwen2-vl'/);
    expect(() => new AggregatedPool(g, 'W2', { model: VLM, multimodal: { maxImagesPerPrompt: 0 } })).toThrow(/'multimodal.maxImagesPerPrompt' is 0/);
    expect(() => new AggregatedPool(g, 'W3', { model: VLM, multimodal: { maxImagesPerPrompt: 2 }, extraArgs: ['--limit-mm-per-prompt={"image":3}'] }))
      .toThrow(/the library renders --limit-mm-per-prompt \{"image":2\} already, and a second one would override it/);
    // Other modalities' limits stay in extraArgs when maxImagesPerPrompt is unset.
    expect(() => new AggregatedPool(g, 'W5', { model: VLM, multimodal: {}, extraArgs: ['--limit-mm-per-prompt', '{"image":2,"video":1}'] })).not.toThrow();
    expect(() => new AggregatedPool(g, 'W6', { model: VLM, multimodal: {}, extraArgs: ['--enable-multimodal'] }))
      .toThrow(/set multimodal on the pool \(or an EncodePool\) instead/);
    expect(() => new AggregatedPool(g, 'W4', { model: VLM, multimodal: {}, extraArgs: ['--route-to-encoder'] }))
      .toThrow(/engine flags other than --route-to-encoder; set the graph's multimodal pattern/);
    const s = new DynamoGraph(Testing.chart(), 's', { backend: Backend.SGLANG });
    expect(() => new AggregatedPool(s, 'W', { model: VLM, multimodal: { maxImagesPerPrompt: 2 } })).toThrow(/only vLLM takes a per-prompt image limit/);
  });
});
