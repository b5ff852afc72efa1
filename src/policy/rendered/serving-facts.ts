import { parse } from 'yaml';
import { CommandLine } from './command-line';
import { Quantities } from './quantities';
import { RenderedObject, RenderedPod, RenderedPods } from './rendered-pod';
import { Backend } from '../../engines/backend';
import { EngineArgs } from '../../engines/engine-args';
import { QuantizationFlags } from '../../engines/quantization-flags';
import { GpuPod } from '../../gpu/gpu-pod';
import { GpuProfile } from '../../gpu/gpu-profile';
import { ModelArchitecture } from '../../model/model-architecture';
import { KvCacheDtype } from '../../model/precision';
import { IntentAnnotations } from '../intent-annotations';

/**
 * What a GPU pod serves, read back from its rendered command line, engine config file, annotations and node
 * targeting, with the model and GPU catalogs filling gaps. Every field is optional: rules skip what they cannot know.
 * @internal
 */
export interface ServingFacts {
  readonly engine?: Backend;
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  /** GPUs one engine instance uses: TP x PP, times DP where DP ranks hold their own GPUs (vLLM, SGLang without DP attention). */
  readonly worldSize: number;
  /** True when parallelism was stated (flag, engine config or annotation) rather than assumed to be 1. */
  readonly parallelismKnown: boolean;
  /** Data-parallel attention: TP ranks split into DP groups for attention (KV is sharded by TP/DP). */
  readonly dpAttention: number;
  /** Role from `--disaggregation-mode` (`prefill`, `decode`, `encode`, `pd`, `agg`) / `--is-prefill-worker` / `--is-decode-worker`. */
  readonly role?: string;
  readonly modelId?: string;
  readonly maxModelLen?: number;
  readonly memoryFraction?: number;
  readonly architecture?: ModelArchitecture;
  readonly weightBytes?: number;
  /** KV bytes of one max-length sequence, whole model (before sharding). */
  readonly kvBytesPerSequence?: number;
  /** Catalog GPU the pod targets through `nvidia.com/gpu.product`. */
  readonly gpu?: GpuProfile;
  /** MIG profile name when the pod asks for a slice (`1g.10gb`), and how (mixed resource or single-strategy label). */
  readonly mig?: { readonly name: string; readonly strategy: 'mixed' | 'single'; readonly count: number };
  readonly gpuMemoryBytes?: number;
}

/**
 * Derives `ServingFacts` for a pod.
 * @internal
 */
export class Serving {
  public static facts(pod: RenderedPod, objects: RenderedObject[]): ServingFacts {
    const cl = RenderedPods.commandLine(pod);
    const engine = Serving.engine(cl, pod.backend);
    // Read as the engine reads its flags (spellings, aliases, last occurrence wins), the same parser the pools check extraArgs with.
    const args = EngineArgs.parse(engine, cl.tokens);
    const config = Serving.engineConfig(pod, args, objects);
    const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
    const annotationInt = (key: string) => {
      const v = pod.annotation(key);
      return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
    };

    const tpStated = args.int('tensorParallel')
      ?? int(config?.tensor_parallel_size) ?? annotationInt(IntentAnnotations.TENSOR_PARALLEL);
    const ppStated = args.int('pipelineParallel')
      ?? int(config?.pipeline_parallel_size) ?? annotationInt(IntentAnnotations.PIPELINE_PARALLEL);
    const dp = args.int('dataParallel') ?? 1;
    const attentionDp = args.on('dpAttention') || config?.enable_attention_dp === true;
    const tp = tpStated ?? 1;
    const pp = ppStated ?? 1;
    const worldSize = tp * pp * (attentionDp || engine === Backend.TRTLLM ? 1 : dp);

    const modelId = pod.annotation(IntentAnnotations.MODEL) ?? args.value('servedModelName') ?? args.value('model');
    const architecture = modelId ? ModelArchitecture.tryOf(modelId) : undefined;
    const maxModelLen = args.int('maxModelLen')
      ?? int(config?.max_seq_len) ?? annotationInt(IntentAnnotations.MAX_MODEL_LEN) ?? architecture?.maxContextLength;
    const fractionFlag = Number(args.value('gpuMemoryUtilization'));
    const fractionConfig = config?.kv_cache_config?.free_gpu_memory_fraction;
    const memoryFraction = Number.isFinite(fractionFlag) && fractionFlag > 0 ? fractionFlag
      : typeof fractionConfig === 'number' ? fractionConfig : undefined;

    const role = Serving.role(args, config);
    // An encode worker loads the vision encoder only and keeps no KV cache.
    const encoder = role === 'encode';
    const weightsGib = Serving.number(pod.annotation(IntentAnnotations.WEIGHTS_GIB));
    const weightBytes = weightsGib !== undefined ? weightsGib * Quantities.GIB
      : encoder ? architecture?.visionEncoder?.weightBytes()
        : architecture?.weightBytes(QuantizationFlags.parse(args.value('quantization')));
    const kvPerToken = Serving.number(pod.annotation(IntentAnnotations.KV_BYTES_PER_TOKEN));
    const kvDtype = Serving.kvDtype(args.value('kvCacheDtype') ?? config?.kv_cache_config?.dtype);
    const kvBytesPerSequence = maxModelLen === undefined || encoder ? undefined
      : kvPerToken !== undefined ? kvPerToken * maxModelLen
        : architecture?.kvCacheBytesPerSequence(maxModelLen, kvDtype);

    const { gpu, mig } = Serving.accelerator(pod);
    const gpuMemoryGib = Serving.number(pod.annotation(IntentAnnotations.GPU_MEMORY_GIB))
      ?? (mig ? Serving.migMemoryGib(mig.name, gpu) : gpu?.memoryGiB);

    return {
      engine,
      tensorParallel: tp,
      pipelineParallel: pp,
      worldSize,
      parallelismKnown: tpStated !== undefined || ppStated !== undefined,
      dpAttention: attentionDp ? dp : 1,
      role,
      modelId,
      maxModelLen,
      memoryFraction,
      architecture,
      weightBytes,
      kvBytesPerSequence,
      gpu,
      mig,
      gpuMemoryBytes: gpuMemoryGib === undefined ? undefined : gpuMemoryGib * Quantities.GIB,
    };
  }

  /** GPU product labels the pod's node selector and required node affinity allow, sorted. */
  private static productLabels(pod: RenderedPod): string[] {
    const labels = new Set<string>();
    const selected = pod.spec.nodeSelector?.[GpuPod.PRODUCT_LABEL];
    if (typeof selected === 'string') labels.add(selected);
    const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    for (const term of RenderedPods.array(terms)) {
      for (const expr of RenderedPods.array(term?.matchExpressions)) {
        if (expr?.key === GpuPod.PRODUCT_LABEL && expr.operator === 'In' && Array.isArray(expr.values)) {
          expr.values.filter((v: unknown) => typeof v === 'string').forEach((v: string) => labels.add(v));
        }
      }
    }
    return [...labels].sort();
  }

  /** The MIG slice the pod asks for, and the catalog GPU it targets (the smallest when several are allowed). */
  private static accelerator(pod: RenderedPod): Pick<ServingFacts, 'gpu' | 'mig'> {
    let mig: ServingFacts['mig'];
    for (const c of pod.containers.filter(x => !x.init)) {
      const res = c.json.resources ?? {};
      for (const key of Object.keys({ ...res.requests, ...res.limits })) {
        const m = /^nvidia\.com\/mig-(.+)$/.exec(key);
        if (m) mig = { name: m[1], strategy: 'mixed', count: Quantities.parse(res.limits?.[key] ?? res.requests?.[key]) ?? 0 };
      }
    }
    const candidates: GpuProfile[] = [];
    for (const label of Serving.productLabels(pod)) {
      const single = /^(.*)-MIG-(.+)$/.exec(label);
      const product = single ? single[1] : label;
      if (single && !mig) mig = { name: single[2], strategy: 'single', count: RenderedPods.gpusPerPod(pod) };
      const gpu = GpuProfile.all().find(g => g.productLabel === product);
      if (gpu) candidates.push(gpu);
    }
    const gpu = candidates.sort((a, b) => a.memoryGiB - b.memoryGiB)[0];
    return { gpu, mig };
  }

  private static migMemoryGib(name: string, gpu: GpuProfile | undefined): number | undefined {
    const known = gpu?.migProfiles.find(p => p.name === name);
    if (known) return known.memoryGiB;
    const m = /(\d+)gb$/.exec(name);
    return m ? Number(m[1]) : undefined;
  }

  private static engine(cl: CommandLine, backend: string | undefined): Backend | undefined {
    const fromModule = /^dynamo\.(vllm|sglang|trtllm)$/.exec(cl.module ?? '');
    const name = fromModule?.[1] ?? backend;
    return Object.values(Backend).find(b => b === name);
  }

  private static role(args: EngineArgs, config: any): string | undefined {
    const mode = args.value('role');
    if (mode) return mode;
    if (args.on('prefillWorker')) return 'prefill';
    if (args.on('decodeWorker')) return 'decode';
    return typeof config?.disaggregation_mode === 'string' ? config.disaggregation_mode : undefined;
  }

  /** TRT-LLM's `--extra-engine-args` YAML, found through the pod's ConfigMap mount among the rendered objects. */
  private static engineConfig(pod: RenderedPod, args: EngineArgs, objects: RenderedObject[]): any {
    const file = args.value('engineConfig');
    const main = pod.containers.find(c => c.main);
    if (!file || !main) return undefined;
    const mount = RenderedPods.array(main.json.volumeMounts)
      .find((m: any) => typeof m?.mountPath === 'string' && file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
    const volume = RenderedPods.array(pod.spec.volumes).find((v: any) => v?.name === mount?.name);
    const configMapName = volume?.configMap?.name;
    if (!configMapName) return undefined;
    const relative = file.slice(mount.mountPath.replace(/\/$/, '').length + 1);
    const item = (volume.configMap.items ?? []).find((i: any) => i?.path === relative);
    const key = item?.key ?? relative;
    const namespace = pod.object.json.metadata?.namespace;
    const cm = objects.find(o => o.json.kind === 'ConfigMap' && o.json.metadata?.name === configMapName
      && (o.json.metadata?.namespace ?? namespace) === namespace);
    const text = cm?.json.data?.[key];
    if (typeof text !== 'string') return undefined;
    try {
      const parsed = parse(text);
      return parsed && typeof parsed === 'object' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private static kvDtype(value: unknown): KvCacheDtype | undefined {
    if (typeof value !== 'string') return undefined;
    if (value.startsWith('fp8')) return KvCacheDtype.FP8;
    if (value === 'bf16' || value === 'bfloat16' || value === 'fp16' || value === 'float16') return KvCacheDtype.BF16;
    return undefined;
  }

  private static number(value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  }
}
