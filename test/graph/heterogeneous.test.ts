/**
 * Disaggregated graphs whose prefill and decode pools run on different GPU types: placement per pool, and the KV
 * hand-off checked against what the engines require (multimodal-facts.md §8).
 */
import { Testing } from 'cdk8s';
import { dgd, mainContainer, synthValid, validationErrors } from './synth';
import {
  Backend, DecodePool, DynamoGraph, DynamoGraphProps, Frontend, GpuProfile, KvCacheDtype, ModelArchitecture, PrefillPool, WorkerPoolProps,
} from '../../src';

const MODEL = 'Qwen/Qwen3-8B';

function hetero(prefill: Partial<WorkerPoolProps>, decode: Partial<WorkerPoolProps>, graphProps: Partial<DynamoGraphProps> = {}) {
  const chart = Testing.chart();
  const graph = new DynamoGraph(chart, 'mixed', { backend: Backend.VLLM, namespace: 'dynamo', ...graphProps });
  new Frontend(graph, 'Frontend');
  new PrefillPool(graph, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM, ...prefill });
  new DecodePool(graph, 'Decode', { model: MODEL, gpu: GpuProfile.L40S, ...decode });
  return chart;
}

const affinityOf = (c: any) =>
  c.podTemplate.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;

describe('placement per pool', () => {
  test('H100 prefill, L40S decode: each pool targets, tolerates and requests its own GPUs', () => {
    const chart = hetero({ tolerations: [{ key: 'tier', operator: 'Equal', value: 'h100', effect: 'NoSchedule' }] }, { tensorParallel: 2 });
    const [, prefill, decode] = dgd(synthValid(chart)).spec.components;
    expect(affinityOf(prefill)).toEqual([{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-H100-80GB-HBM3'] }]);
    expect(affinityOf(decode)).toEqual([{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-L40S'] }]);
    expect(prefill.podTemplate.spec.tolerations).toContainEqual({ key: 'tier', operator: 'Equal', value: 'h100', effect: 'NoSchedule' });
    expect(decode.podTemplate.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(mainContainer(prefill).resources.limits['nvidia.com/gpu']).toBe(1);
    expect(mainContainer(decode).resources.limits['nvidia.com/gpu']).toBe(2);
    expect(prefill.podTemplate.metadata.annotations['cdk8s-dynamo.io/gpu-memory-gib']).toBe('80');
    expect(decode.podTemplate.metadata.annotations['cdk8s-dynamo.io/gpu-memory-gib']).toBe('44.99');
  });

  test('an arm64 decode pool (GB200) beside x86 prefill: only decode selects and tolerates arm64', () => {
    // A backend pinned on one pool only is as bad as none.
    const chart = hetero({ gpu: GpuProfile.H200_SXM }, { gpu: GpuProfile.GB200, env: { VLLM_ATTENTION_BACKEND: 'FLASHINFER' } });
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/'env.VLLM_ATTENTION_BACKEND' is 'FLASHINFER'.*allowed: \(unset\), as on the prefill pool/)]);
    const ok = hetero({ gpu: GpuProfile.H200_SXM }, { gpu: GpuProfile.GB200 }, { env: { VLLM_ATTENTION_BACKEND: 'FLASHINFER' } });
    const [, prefill, decode] = dgd(synthValid(ok)).spec.components;
    expect(prefill.podTemplate.spec.nodeSelector).toBeUndefined();
    expect(decode.podTemplate.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(decode.podTemplate.spec.tolerations).toContainEqual({ key: 'kubernetes.io/arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' });
  });
});

describe('KV hand-off compatibility', () => {
  test('the KV-cache dtype must agree', () => {
    expect(validationErrors(hetero({ kvCacheDtype: KvCacheDtype.FP8 }, {}))).toEqual([
      '[test/mixed/Decode] \'kvCacheDtype\' is \'bf16\': the decode engine reads the KV blocks prefill writes across GPU types (H100 SXM5 80GB prefill,'
      + ' L40S 48GB decode), so both need one KV-cache dtype (prefill pool \'test/mixed/Prefill\'). allowed: \'fp8\', the prefill pool\'s KV-cache dtype',
    ]);
    expect(() => synthValid(hetero({ kvCacheDtype: KvCacheDtype.FP8 }, { kvCacheDtype: KvCacheDtype.FP8 }))).not.toThrow();
    // An FP8 checkpoint's own KV dtype counts when neither pool sets one.
    expect(validationErrors(hetero({ model: 'Qwen/Qwen3-32B-FP8', tensorParallel: 2 }, { model: 'Qwen/Qwen3-32B-FP8', tensorParallel: 2, kvCacheDtype: KvCacheDtype.BF16 })))
      .toEqual([expect.stringMatching(/'kvCacheDtype' is 'bf16'.*allowed: 'fp8'/)]);
  });

  test('both pools serve one model', () => {
    expect(validationErrors(hetero({}, { model: 'Qwen/Qwen3-0.6B' }))).toEqual([
      expect.stringMatching(/\[test\/mixed\/Decode\] 'model' is 'Qwen\/Qwen3-0.6B': prefill and decode must load the same model.*allowed: 'Qwen\/Qwen3-8B'/),
    ]);
  });

  test('vLLM: Blackwell and Hopper pick different attention backends unless one is pinned on both', () => {
    const unpinned = hetero({}, { gpu: GpuProfile.B200 });
    expect(validationErrors(unpinned)).toEqual([expect.stringMatching(
      /'env.VLLM_ATTENTION_BACKEND' is '\(unset\)': vLLM picks different default attention backends on Hopper and Blackwell GPUs across GPU types .*allowed: one backend pinned on both pools/)]);
    expect(() => synthValid(hetero({}, { gpu: GpuProfile.B200 }, { env: { VLLM_ATTENTION_BACKEND: 'FLASHINFER' } }))).not.toThrow();
    // Hopper and Ada both default to FlashAttention.
    expect(validationErrors(hetero({}, {}))).toEqual([]);
  });

  test('vLLM: one KV layout; heterogeneous TP needs HND', () => {
    expect(validationErrors(hetero({ env: { VLLM_KV_CACHE_LAYOUT: 'NHD' } }, {})))
      .toEqual([expect.stringMatching(/'env.VLLM_KV_CACHE_LAYOUT' is 'HND'.*allowed: NHD, as on the prefill pool/)]);
    expect(validationErrors(hetero({}, { tensorParallel: 2 }, { env: { VLLM_KV_CACHE_LAYOUT: 'NHD' } })))
      .toEqual([expect.stringMatching(/'tensorParallel' is 2: the NHD layout cannot split KV heads between different tensor-parallel sizes/)]);
    expect(validationErrors(hetero({}, { tensorParallel: 2 }))).toEqual([]);
  });

  test('vLLM: block sizes may grow from prefill to decode, never shrink; --dtype must agree', () => {
    expect(validationErrors(hetero({ extraArgs: ['--block-size', '16'] }, { extraArgs: ['--block-size=32'] }))).toEqual([]);
    expect(validationErrors(hetero({ extraArgs: ['--block-size', '32'] }, { extraArgs: ['--block-size', '16'] })))
      .toEqual([expect.stringMatching(/'extraArgs' is '--block-size 16': --block-size shapes the KV blocks .*allowed: --block-size 32, as on the prefill pool/)]);
    expect(validationErrors(hetero({ extraArgs: ['--dtype', 'float16'] }, {})))
      .toEqual([expect.stringMatching(/'extraArgs' is '--dtype \(engine default\)'.*allowed: --dtype float16/)]);
  });

  test('MLA models: vLLM refuses different TP sizes, TRT-LLM converts the layout', () => {
    const mla = ModelArchitecture.custom({
      name: 'acme/mla-16b',
      numLayers: 27,
      hiddenSize: 2048,
      numAttentionHeads: 16,
      numKeyValueHeads: 16,
      intermediateSize: 10944,
      vocabSize: 102400,
      kvLoraRank: 512,
      qkRopeHeadDim: 64,
      qkNopeHeadDim: 128,
      vHeadDim: 128,
      maxContextLength: 32768,
    });
    const props = { model: mla.name, architecture: mla };
    expect(validationErrors(hetero(props, { ...props, tensorParallel: 2 })))
      .toEqual([expect.stringMatching(/'tensorParallel' is 2: vLLM supports different tensor-parallel sizes for MLA models \(acme\/mla-16b\) only in part/)]);
    expect(validationErrors(hetero(props, { ...props, tensorParallel: 2 }, { backend: Backend.TRTLLM }))).toEqual([]);
  });

  test('SGLang and TRT-LLM pools on different GPUs with different TP', () => {
    for (const backend of [Backend.SGLANG, Backend.TRTLLM]) {
      expect(() => synthValid(hetero({ tensorParallel: 2 }, { tensorParallel: 4 }, { backend }))).not.toThrow();
    }
  });
});
