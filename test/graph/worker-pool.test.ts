import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { dgd, mainContainer, synthValid, validationErrors } from './synth';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, Frontend, GpuProfile, GpuRequest, KvCacheDtype,
  MigStrategy, ModelArchitecture, ModelCache, PrefillPool, Quantization, RouterMode, WorkerPoolProps,
} from '../../src';
import { HealthChecks } from '../../src/graph/health-checks';

const MODEL = 'Qwen/Qwen3-0.6B';

function graph(backend = Backend.VLLM, apiVersion = DynamoApiVersion.V1BETA1) {
  const chart = Testing.chart();
  return { chart, graph: new DynamoGraph(chart, 'g', { backend, apiVersion }) };
}

describe('worker pools', () => {
  test('vLLM disaggregated with the KV router: roles, NIXL, KV events, parallelism and engine limits', () => {
    const { chart, graph: g } = graph();
    new Frontend(g, 'Frontend', { routerMode: RouterMode.KV });
    // Prefill and decode hand over the KV cache, so they share its dtype.
    new PrefillPool(g, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, maxNumBatchedTokens: 16384, kvCacheDtype: KvCacheDtype.FP8 });
    new DecodePool(g, 'Decode', {
      model: MODEL,
      gpu: GpuProfile.H100_SXM,
      tensorParallel: 2,
      maxBatchSize: 256,
      maxModelLen: 32768,
      kvCacheDtype: KvCacheDtype.FP8,
      quantization: Quantization.FP8,
      extraArgs: ['--enforce-eager'],
    });
    const [frontend, prefill, decode] = dgd(synthValid(chart)).spec.components;
    expect(mainContainer(frontend).env).toContainEqual({ name: 'DYN_ROUTER_MODE', value: 'kv' });
    expect(mainContainer(prefill).command).toEqual(['python3', '-m', 'dynamo.vllm']);
    const p = mainContainer(prefill).args;
    expect(p.slice(p.indexOf('--disaggregation-mode'), p.indexOf('--disaggregation-mode') + 2)).toEqual(['--disaggregation-mode', 'prefill']);
    expect(p).toContain('--kv-transfer-config');
    expect(p).toContain('--kv-events-config');
    const d = mainContainer(decode).args;
    expect(d).toEqual(expect.arrayContaining(['--tensor-parallel-size', '2', '--max-num-seqs', '256', '--max-model-len', '32768', '--kv-cache-dtype', 'fp8']));
    expect(d[d.length - 1]).toBe('--enforce-eager');
    expect(mainContainer(decode).resources.limits['nvidia.com/gpu']).toBe(2);
    expect(decode.sharedMemorySize).toBe('8Gi');
    expect(prefill.sharedMemorySize).toBeUndefined();
  });

  test('without the KV router workers publish no KV events', () => {
    const { chart, graph: g } = graph(Backend.SGLANG);
    new Frontend(g, 'Frontend');
    new AggregatedPool(g, 'decode', { model: MODEL, gpu: GpuProfile.H100_SXM });
    const [frontend, worker] = dgd(synthValid(chart)).spec.components;
    expect(mainContainer(frontend).env).toContainEqual({ name: 'DYN_ROUTER_MODE', value: 'round-robin' });
    expect(mainContainer(worker).command).toEqual(['python3', '-m', 'dynamo.sglang']);
    expect(mainContainer(worker).args).not.toContain('--kv-events-config');
  });

  test('GPU placement: product label, gpu toleration, slow-start probes', () => {
    const { chart, graph: g } = graph();
    new AggregatedPool(g, 'W', { model: MODEL, gpu: GpuProfile.L40S });
    const [w] = dgd(synthValid(chart)).spec.components;
    const spec = w.podTemplate.spec;
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'nvidia.com/gpu.product', operator: 'In', values: [GpuProfile.L40S.productLabel] }]);
    expect(spec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    const main = mainContainer(w);
    expect(main.startupProbe).toMatchObject({ httpGet: { path: '/live', port: 'system' }, periodSeconds: 10, failureThreshold: 720 });
    expect(main.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(main.resources.requests).toMatchObject({ 'cpu': expect.anything(), 'memory': expect.anything(), 'ephemeral-storage': expect.anything() });
  });

  test('resources: ComponentResources like the other components, each field replacing its GPU-derived default', () => {
    for (const apiVersion of [DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1]) {
      const { chart, graph: g } = graph(Backend.VLLM, apiVersion);
      new AggregatedPool(g, 'W', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2, resources: { cpu: Cpu.millis(6500), memory: Size.gibibytes(48) } });
      new AggregatedPool(g, 'X', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2, componentName: 'Defaults' });
      const spec = dgd(synthValid(chart)).spec;
      if (apiVersion === DynamoApiVersion.V1BETA1) {
        const [w, x] = spec.components.map(mainContainer);
        expect(w.resources).toEqual({
          requests: { 'nvidia.com/gpu': 2, 'cpu': '6500m', 'memory': '48Gi', 'ephemeral-storage': '10Gi' },
          limits: { 'nvidia.com/gpu': 2, 'memory': '48Gi' },
        });
        // 4 CPU and 16 GiB per GPU, plus the 8 GiB /dev/shm of a two-GPU pod.
        expect(x.resources.requests).toEqual({ 'nvidia.com/gpu': 2, 'cpu': '8', 'memory': '40Gi', 'ephemeral-storage': '10Gi' });
      } else {
        expect(spec.services.W.resources).toEqual({
          requests: { gpu: '2', cpu: '6500m', memory: '48Gi', custom: { 'ephemeral-storage': '10Gi' } },
          limits: { gpu: '2', memory: '48Gi' },
        });
      }
    }
  });

  test.each([
    [{ cpu: Cpu.units(0) }, /^\[test\/g\/W\] 'resources.cpu' is '0': allowed: a CPU amount above 0/],
    [{ memory: Size.mebibytes(0) }, /^\[test\/g\/W\] 'resources.memory' is '0Gi': allowed: a size above 0$/],
    [{ ephemeralStorage: Size.mebibytes(0) }, /^\[test\/g\/W\] 'resources.ephemeralStorage' is '0Gi': allowed: a size above 0$/],
  ])('resources %j are refused at construction', (resources, message) => {
    expect(() => new AggregatedPool(graph().graph, 'W', { model: MODEL, gpu: GpuProfile.H100_SXM, resources })).toThrow(message);
  });

  test('MIG slices: mixed strategy resource name, single strategy product label; v1alpha1 gpuType', () => {
    const mig = GpuProfile.A100_SXM4_80GB.mig('3g.40gb');
    const { chart, graph: g } = graph(Backend.VLLM, DynamoApiVersion.V1ALPHA1);
    new PrefillPool(g, 'Prefill', { model: MODEL, gpuRequest: GpuRequest.mig(mig) });
    new DecodePool(g, 'Decode', { model: MODEL, gpuRequest: GpuRequest.mig(mig, MigStrategy.SINGLE) });
    const { Prefill: prefill, Decode: decode } = dgd(synthValid(chart)).spec.services;
    expect(prefill.resources.limits).toMatchObject({ gpu: '1', gpuType: 'nvidia.com/mig-3g.40gb' });
    expect(decode.resources.limits.gpu).toBe('1');
    expect(decode.resources.limits.gpuType).toBeUndefined();
    expect(decode.extraPodSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values)
      .toEqual([mig.singleStrategyProductLabel]);
  });

  test('multinode when TP x PP exceeds one node: nodeCount and GPUs per node', () => {
    const { chart, graph: g } = graph(Backend.VLLM);
    new PrefillPool(g, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, quantization: Quantization.FP8, tensorParallel: 8, pipelineParallel: 2 });
    new DecodePool(g, 'Decode', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2, nodeCount: 2 });
    const [prefill, decode] = dgd(synthValid(chart)).spec.components;
    expect(prefill.multinode).toEqual({ nodeCount: 2 });
    expect(mainContainer(prefill).resources.limits['nvidia.com/gpu']).toBe(8);
    // The operator manages probes of multinode engines (and strips them from non-leader pods).
    expect(mainContainer(prefill).startupProbe).toBeUndefined();
    expect(decode.multinode).toEqual({ nodeCount: 2 });
    expect(mainContainer(decode).resources.limits['nvidia.com/gpu']).toBe(1);
  });

  test('env the user sets replaces the engine default instead of repeating it, graph-wide too', () => {
    // SGLang multinode pools default GLOO_SOCKET_IFNAME=eth0 (operator-facts §5, SGLang multinode).
    const engine = { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 16 };
    const own = graph(Backend.SGLANG);
    new PrefillPool(own.graph, 'Prefill', { ...engine, env: { GLOO_SOCKET_IFNAME: 'bond0' } });
    new DecodePool(own.graph, 'Decode', engine);
    const [prefill, decode] = dgd(synthValid(own.chart)).spec.components;
    expect(mainContainer(prefill).env).toEqual([{ name: 'GLOO_SOCKET_IFNAME', value: 'bond0' }]);
    expect(mainContainer(decode).env).toEqual([{ name: 'GLOO_SOCKET_IFNAME', value: 'eth0' }]);

    // The operator lets component env win over graph env: a default left on the component would undo the user's.
    const chart = Testing.chart();
    const wide = new DynamoGraph(chart, 'g', { backend: Backend.SGLANG, env: { GLOO_SOCKET_IFNAME: 'bond0' } });
    new PrefillPool(wide, 'Prefill', engine);
    new DecodePool(wide, 'Decode', engine);
    const spec = dgd(synthValid(chart)).spec;
    expect(spec.env).toEqual([{ name: 'GLOO_SOCKET_IFNAME', value: 'bond0' }]);
    for (const c of spec.components) expect(mainContainer(c).env).toBeUndefined();
  });

  test('a pool that downloads its model from the Hub reserves the checkpoint on the node\'s disk', () => {
    const ephemeral = (props: Partial<WorkerPoolProps>, cached = false) => {
      const { chart, graph: g } = graph();
      const modelCache = cached ? new ModelCache(chart, 'models', { model: 'Qwen/Qwen3-8B', size: Size.gibibytes(20) }) : undefined;
      new AggregatedPool(g, 'W', { model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, ...props, modelCache });
      return mainContainer(dgd(synthValid(chart)).spec.components[0]).resources.requests['ephemeral-storage'];
    };
    const checkpointGiB = Math.ceil(ModelArchitecture.of('Qwen/Qwen3-8B').weightBytes() / 1024 ** 3);
    expect(ephemeral({})).toBe(`${checkpointGiB + 5}Gi`);
    // A runtime quantization still downloads the published BF16 weights.
    expect(ephemeral({ quantization: Quantization.FP8 })).toBe(`${checkpointGiB + 5}Gi`);
    expect(ephemeral({ resources: { ephemeralStorage: Size.gibibytes(50) } })).toBe('50Gi');
    expect(ephemeral({}, true)).toBe('10Gi');
    const small = graph();
    new AggregatedPool(small.graph, 'W', { model: MODEL, gpu: GpuProfile.H100_SXM });
    new AggregatedPool(small.graph, 'Custom', { model: 'my-org/private-model', gpu: GpuProfile.H100_SXM });
    for (const c of dgd(synthValid(small.chart)).spec.components) {
      expect(mainContainer(c).resources.requests['ephemeral-storage']).toBe('10Gi');
    }
  });

  test('existing claims mount like upstream pvcs + volumeMounts; one over the HF cache means no download to reserve', () => {
    const hfCache = { claimName: 'model-cache', mountPath: '/root/.cache/huggingface' };
    for (const apiVersion of [DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1]) {
      const { chart, graph: g } = graph(Backend.VLLM, apiVersion);
      new Frontend(g, 'Frontend', { claimMounts: [hfCache] });
      new AggregatedPool(g, 'W', { model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, claimMounts: [hfCache] });
      const spec = dgd(synthValid(chart)).spec;
      if (apiVersion === DynamoApiVersion.V1BETA1) {
        for (const c of spec.components) {
          expect(c.podTemplate.spec.volumes).toEqual([{ name: 'model-cache', persistentVolumeClaim: { claimName: 'model-cache' } }]);
          expect(mainContainer(c).volumeMounts).toEqual([{ name: 'model-cache', mountPath: '/root/.cache/huggingface' }]);
        }
        expect(mainContainer(spec.components[1]).resources.requests['ephemeral-storage']).toBe('10Gi');
      } else {
        expect(spec.pvcs).toEqual([{ name: 'model-cache', create: false }]);
        expect(spec.services.W.volumeMounts).toEqual([{ name: 'model-cache', mountPoint: '/root/.cache/huggingface' }]);
        expect(spec.services.W.resources.requests.custom['ephemeral-storage']).toBe('10Gi');
      }
    }
    // Upstream's TRT-LLM multinode example: HF_HOME on the claim, set graph-wide.
    const chart = Testing.chart();
    const g = new DynamoGraph(chart, 'g', { backend: Backend.TRTLLM, env: { HF_HOME: '/models/hf' } });
    new AggregatedPool(g, 'W', { model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, claimMounts: [{ claimName: 'models', mountPath: '/models' }] });
    new AggregatedPool(g, 'Elsewhere', { model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, claimMounts: [{ claimName: 'models', mountPath: '/mod' }] });
    const [w, elsewhere] = dgd(synthValid(chart)).spec.components;
    expect(mainContainer(w).resources.requests['ephemeral-storage']).toBe('10Gi');
    expect(mainContainer(elsewhere).resources.requests['ephemeral-storage']).not.toBe('10Gi');
  });

  test('the default startup budget is the operator\'s 2 h, longer when the weights take longer to read', () => {
    const threshold = (loadBytes?: number) => HealthChecks.worker({}, loadBytes).startup.failureThreshold;
    // operator-facts §3: the operator's worker startup probe is /live every 10 s, 720 times (2 h).
    expect(threshold()).toBe(720);
    expect(threshold(100 * 1024 ** 3)).toBe(720);
    // 2 TiB at 250 MiB/s is 8389 s, plus 300 s of engine start: 869 checks of 10 s.
    expect(threshold(2 * 1024 ** 4)).toBe(869);
    expect(HealthChecks.worker({ startupTimeout: Duration.minutes(30) }, 2 * 1024 ** 4).startup.failureThreshold).toBe(180);
  });

  test('TRT-LLM engine config goes to a ConfigMap whose hash rolls the pods', () => {
    const { chart, graph: g } = graph(Backend.TRTLLM);
    new AggregatedPool(g, 'TRTLLMWorker', { model: MODEL, gpu: GpuProfile.H100_SXM, maxBatchSize: 64 });
    const objects = synthValid(chart);
    const cm = objects.find(o => o.kind === 'ConfigMap');
    expect(cm.metadata.name).toBe('g-trtllmworker-engine');
    expect(cm.data['agg.yaml']).toContain('max_batch_size: 64');
    const [w] = dgd(objects).spec.components;
    expect(w.podTemplate.spec.volumes).toContainEqual({ name: 'engine-config', configMap: { name: 'g-trtllmworker-engine' } });
    expect(mainContainer(w).args).toEqual(expect.arrayContaining(['--extra-engine-args', '/etc/dynamo/trtllm/agg.yaml']));
    expect(w.podTemplate.metadata.annotations['cdk8s-dynamo.io/engine-config-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('rejects', () => {
    const pool = (props: any, backend = Backend.VLLM) => () => new AggregatedPool(graph(backend).graph, 'W', { model: MODEL, ...props });

    test('TP that does not divide the attention heads', () => {
      // Qwen3-0.6B has 16 attention heads.
      expect(pool({ tensorParallel: 3, gpu: GpuProfile.H100_SXM }))
        .toThrow(/\[test\/g\/W\] 'tensorParallel' is 3: Qwen\/Qwen3-0.6B cannot split its heads evenly\. allowed: a divisor of the model's 16 attention heads/);
    });

    test('TP x PP more than the pool can get', () => {
      expect(pool({ tensorParallel: 8, gpu: GpuProfile.H100_SXM, nodeCount: 1, model: 'Qwen/Qwen3-32B', pipelineParallel: 2 }))
        .toThrow(/\[test\/g\/W\] 'tensorParallel' is 8: the engine needs 16 GPUs \(TP 8 x PP 2 x DP 1\)\. allowed: a parallelism needing at most gpusPerNode x nodeCount = 8 x 1 = 8 GPUs/);
    });

    test('a MIG slice with TP > 1, and MIG on a GPU without MIG', () => {
      const mig = GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb'));
      expect(pool({ gpuRequest: mig, tensorParallel: 2 })).toThrow(/\[test\/g\/W\] 'tensorParallel' is 2: .*NCCL cannot span slices\. allowed: 1/);
      expect(() => GpuProfile.L4.mig('1g.6gb')).toThrow(/'mig' is '1g.6gb': L4 24GB cannot be partitioned. allowed: a GPU with MIG/);
    });

    test('weights that cannot fit the GPUs', () => {
      expect(pool({ model: 'meta-llama/Meta-Llama-3.1-70B', gpu: GpuProfile.H100_SXM }))
        .toThrow(/\[test\/g\/W\] 'tensorParallel' is 1: .*GiB per GPU\. allowed: a parallelism that leaves at most 80 GiB of weights per H100/);
      expect(pool({ model: 'my-org/unknown-model', gpu: GpuProfile.L4 })).not.toThrow();
      const arch = ModelArchitecture.of('meta-llama/Meta-Llama-3.1-70B');
      expect(pool({ model: 'my-org/llama-finetune', architecture: arch, gpu: GpuProfile.L4 })).toThrow(/weighs/);
    });

    test('a TRT-LLM precision other than the checkpoint\'s: TRT-LLM cannot quantize at load time', () => {
      expect(pool({ model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, quantization: Quantization.FP8 }, Backend.TRTLLM))
        .toThrow(/\[test\/g\/W\] 'quantization' is 'fp8': TRT-LLM runs the checkpoint's own precision.*allowed: unset or 'bf16' \(the checkpoint's\) on TRT-LLM/);
      expect(pool({ model: 'my-org/unknown', quantization: Quantization.NVFP4 }, Backend.TRTLLM)).toThrow(/'quantization' is 'nvfp4':.*allowed: unset on TRT-LLM/);
      expect(pool({ model: 'Qwen/Qwen3-32B-FP8', gpu: GpuProfile.H100_SXM, quantization: Quantization.FP8_BLOCK }, Backend.TRTLLM)).not.toThrow();
      expect(pool({ model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, quantization: Quantization.FP8 }, Backend.VLLM)).not.toThrow();
    });

    test('claim mounts: bad names and paths at once, a path or claim used twice at synth', () => {
      expect(pool({ claimMounts: [{ claimName: 'Models', mountPath: '/m' }] })).toThrow(/\[test\/g\/W\] 'claimMounts\[0\]\.claimName' is 'Models':.*allowed: lower-case letters/);
      expect(pool({ claimMounts: [{ claimName: 'm', mountPath: 'models' }] })).toThrow(/'claimMounts\[0\]\.mountPath' is 'models':.*allowed: an absolute path/);
      expect(pool({ claimMounts: [{ claimName: 'm', mountPath: '/a/../etc' }] })).toThrow(/'claimMounts\[0\]\.mountPath' is '\/a\/\.\.\/etc'/);
      const { chart, graph: g } = graph();
      const cache = new ModelCache(chart, 'models', { model: MODEL, size: Size.gibibytes(5) });
      const gpu = GpuProfile.H100_SXM;
      new AggregatedPool(g, 'W', { model: MODEL, gpu, modelCache: cache, claimMounts: [{ claimName: 'other', mountPath: '/models' }] });
      new AggregatedPool(g, 'V', { model: MODEL, gpu, claimMounts: [{ claimName: 'x', mountPath: '/a' }, { claimName: 'x', mountPath: '/b' }] });
      expect(validationErrors(chart)).toEqual([
        expect.stringMatching(/^\[test\/g\/W\] 'claimMounts' is '\/models': the main container would mount the same path or claim twice\. allowed: claims and mount paths not used twice/),
        expect.stringMatching(/^\[test\/g\/V\] 'claimMounts' is 'x':/),
      ]);
    });

    test('gpu together with gpuRequest', () => {
      expect(pool({ gpu: GpuProfile.H100_SXM, gpuRequest: GpuRequest.whole(GpuProfile.H100_SXM) })).toThrow(/'gpuRequest' is .*allowed: either gpu or gpuRequest, not both/);
    });

    test('probe overrides on a multinode pool', () => {
      expect(pool({ gpu: GpuProfile.H100_SXM, tensorParallel: 2, nodeCount: 2, livenessFailureThreshold: 3 }))
        .toThrow(/'livenessFailureThreshold' is 3: the operator sets the probes of multinode engines.*allowed: unset on a multinode pool/);
    });

    test('a nodeCount that does not divide the engine\'s GPUs', () => {
      expect(pool({ gpu: GpuProfile.H100_SXM, tensorParallel: 4, nodeCount: 3 })).toThrow(/'nodeCount' is 3: .*allowed: a divisor of the engine's 4 GPUs/);
    });
  });

  test('property: random valid parallelism requests TP x PP GPUs per pod (per node when multinode) and validates', () => {
    const gpus = [GpuProfile.H100_SXM, GpuProfile.H200_SXM, GpuProfile.B200, GpuProfile.L40S];
    fc.assert(fc.property(
      fc.constantFrom(Backend.VLLM, Backend.SGLANG, Backend.TRTLLM),
      fc.constantFrom(1, 2, 4, 8, 16),
      fc.constantFrom(1, 2, 4),
      fc.constantFrom(...gpus),
      fc.constantFrom(DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1),
      fc.integer({ min: 0, max: 4 }),
      (backend, tp, pp, gpu, apiVersion, replicas) => {
        // Qwen3-32B: 64 heads and 8 KV heads (every TP here divides them), ~61 GiB in BF16: keep layouts it fits.
        fc.pre(ModelArchitecture.of('Qwen/Qwen3-32B').weightBytes() / (tp * pp) <= gpu.memoryGiB * 1024 ** 3);
        const chart = Testing.chart();
        // The layout is under test, not whether a full-context sequence also fits (the policy pack's DYN-GPU-004).
        const g = new DynamoGraph(chart, 'g', { backend, apiVersion, policyEnabled: false });
        const pool = new AggregatedPool(g, 'W', { model: 'Qwen/Qwen3-32B', gpu, tensorParallel: tp, pipelineParallel: pp, replicas });
        const total = tp * pp;
        const nodes = Math.ceil(total / gpu.gpusPerNode);
        expect(pool.nodeCount).toBe(nodes);
        expect(pool.gpusPerPod * pool.nodeCount).toBe(total);
        const spec = dgd(synthValid(chart)).spec;
        const gpusInPod = apiVersion === DynamoApiVersion.V1BETA1
          ? mainContainer(spec.components[0]).resources.limits['nvidia.com/gpu']
          : Number(spec.services.W.resources.limits.gpu);
        expect(gpusInPod).toBe(total / nodes);
      },
    ), { numRuns: 60 });
  });
});

describe('extraArgs against what the graph decides at synth', () => {
  test('a smuggled TP fails where the pool is built', () => {
    const { graph: g } = graph();
    expect(() => new AggregatedPool(g, 'W', { model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 2, extraArgs: ['--tensor_parallel_size=4'] }))
      .toThrow(/\[test\/g\/W\] 'extraArgs' is '--tensor_parallel_size=4': .*set tensorParallel instead/);
  });

  test('KV events turned on by a frontend added later: a user --kv-events-config fails validation, before anything is written', () => {
    const { chart, graph: g } = graph();
    new AggregatedPool(g, 'W', { model: MODEL, gpu: GpuProfile.H100_SXM, extraArgs: ['--kv-events-config={"publisher":"zmq"}'] });
    new Frontend(g, 'Frontend', { routerMode: RouterMode.KV });
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/\[test\/g\/W\] 'extraArgs' is '--kv-events-config=.*the library renders --kv-events-config .* already/)]);
  });
});
