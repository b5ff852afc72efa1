import { createHash } from 'crypto';
import { Chart, Lazy, Size } from 'cdk8s';
import { k8s, PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { ComponentResourceDefaults, ComponentResources } from './component-resources';
import { ComponentType } from './component-type';
import { ComponentDetails, DynamoComponent, DynamoComponentProps } from './dynamo-component';
import type { DynamoGraph } from './dynamo-graph';
import { HealthCheckOptions, HealthChecks, PROBE_PROPS } from './health-checks';
import { ModelCache } from './model-cache';
import { MultimodalOptions } from './multimodal-options';
import { PodOverrides } from './pod-overrides';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';
import { EngineCommands } from '../engines/engine-commands';
import { EngineCommand, EngineConfigFile, EngineSettings, WorkerRole } from '../engines/engine-settings';
import { EngineTuning } from '../engines/engine-tuning';
import { MultimodalEngineSettings } from '../engines/multimodal';
import { GpuPlacement, GpuPod } from '../gpu/gpu-pod';
import { GpuProfile } from '../gpu/gpu-profile';
import { GpuRequest } from '../gpu/gpu-request';
import { GpuSchedulingProps } from '../gpu/gpu-scheduling-props';
import { ModelArchitecture } from '../model/model-architecture';
import { KvCacheDtype, Quantization } from '../model/precision';
import { IntentAnnotations } from '../policy/intent-annotations';

const GIB = 1024 ** 3;
/** Room beside a downloaded checkpoint for logs and the JIT, Triton and compile caches. */
const CACHE_HEADROOM_GIB = 5;
/** Default ephemeral storage of a GPU pod that downloads nothing big: logs, JIT, Triton and compile caches. */
const SCRATCH_GIB = 10;
/** Where the runtime images keep the Hugging Face cache (they run as root). */
const HF_HOME_DEFAULT = '/root/.cache/huggingface';

/**
 * Props shared by `AggregatedPool`, `PrefillPool` and `DecodePool`.
 */
export interface WorkerPoolProps extends DynamoComponentProps, HealthCheckOptions, GpuSchedulingProps, EngineTuning {
  /** Hugging Face id of the model; also the name clients request it by (served model name). */
  readonly model: string;
  /**
   * Inference engine; must match the graph's.
   * @default - the graph's backend
   */
  readonly backend?: Backend;
  /**
   * Whole GPUs of this model per pod, TP x PP of them (vLLM: x DP). Pods target nodes with its product label.
   * @default - any NVIDIA GPU (no node targeting, no memory checks)
   */
  readonly gpu?: GpuProfile;
  /**
   * A GPU request other than whole GPUs of `gpu`, e.g. a MIG slice: `GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb'))`.
   * Give either `gpu` or `gpuRequest`.
   * @default - `GpuRequest.whole(gpu)`
   */
  readonly gpuRequest?: GpuRequest;
  /**
   * Architecture of the model, for the head-divisibility and weight-fit checks.
   * @default - `ModelArchitecture.tryOf(model)`; checks needing it are skipped for models not in the catalog
   */
  readonly architecture?: ModelArchitecture;
  /**
   * A model cache to load the weights from instead of downloading them in every pod. Its model must be `model`.
   * @default - each pod downloads the model from Hugging Face
   */
  readonly modelCache?: ModelCache;
  /**
   * Nodes one engine spans. The engine's GPUs are split evenly over them.
   * @default - 1, or as many nodes as the engine's GPUs need when they exceed one node of `gpu`
   */
  readonly nodeCount?: number;
  /**
   * CPU, memory and ephemeral storage of each pod (GPU devices come from the parallelism). CPU and disk are requested
   * only; memory is requested and limited, and `/dev/shm` is charged to it.
   * @default - 4 CPU and 16 GiB memory per whole GPU (2 CPU and 8 GiB per MIG slice) plus the `/dev/shm` size; 10 GiB
   * ephemeral storage, or the checkpoint's size plus 5 GiB when that is more and the pool downloads a known model
   * from the Hub (no model cache, no claim over the Hugging Face cache): the download lands on the node's disk
   */
  readonly resources?: ComponentResources;
  /**
   * Serve requests with images: the engine takes media (`--enable-multimodal`) and the role flags of the graph's
   * multimodal pattern (`DynamoGraph.multimodalPattern`). Every language-model pool of a multimodal graph sets it;
   * `{}` takes the defaults. The model must be a vision-language model (the catalog's, or any model outside it).
   * @default - text only
   */
  readonly multimodal?: MultimodalOptions;
}

/**
 * What the KV hand-off between a prefill and a decode pool depends on, for the compatibility check.
 * @internal
 */
export interface KvTransferFacts {
  readonly pool: WorkerPool;
  readonly model: string;
  readonly kvCacheDtype: KvCacheDtype;
  readonly tensorParallel: number;
  readonly architecture?: ModelArchitecture;
  /** GPU architecture of the request (`Hopper`, `Blackwell`...), when the GPU is known. */
  readonly gpuArchitecture?: string;
  /** Literal env of the pool's main container, graph-wide values included (the pool's win). */
  readonly env: { readonly [name: string]: string };
  readonly extraArgs: readonly string[];
}

/**
 * Base of the worker pools: a group of identical engine replicas serving one model. Computes the engine command
 * line, the GPU request (TP x PP per pod, per node when multinode), scheduling, `/dev/shm` and the model mount.
 */
export abstract class WorkerPool extends DynamoComponent {
  /**
   * TRT-LLM runs the precision of its checkpoint (pre-quantized ModelOpt weights) and cannot quantize at load time
   * like vLLM and SGLang: a different `quantization` would be ignored while memory checks and plans assume it.
   * @internal
   */
  public static _checkQuantization(
    scope: IConstruct | string, backend: Backend, quantization: Quantization | undefined, arch: ModelArchitecture | undefined,
  ): void {
    if (backend !== Backend.TRTLLM || quantization === undefined) return;
    PropError.check(arch !== undefined && quantization === arch.quantization, scope, 'quantization', quantization,
      arch ? `unset or '${arch.quantization}' (the checkpoint's) on TRT-LLM` : 'unset on TRT-LLM',
      'TRT-LLM runs the checkpoint\'s own precision; serve a pre-quantized checkpoint (e.g. an -FP8 or -NVFP4 model) instead');
  }

  private static configData(files: EngineConfigFile[]): { [fileName: string]: string } {
    return Object.fromEntries(files.map(f => [f.fileName, f.content]));
  }

  private static sha256(data: { [key: string]: string }): string {
    return createHash('sha256').update(JSON.stringify(Object.entries(data).sort())).digest('hex');
  }

  /** Hugging Face id of the model. */
  public readonly model: string;
  /** Inference engine. */
  public readonly backend: Backend;
  /** What one GPU device of a pod is. */
  public readonly gpuRequest: GpuRequest;
  /** Nodes one engine spans. */
  public readonly nodeCount: number;
  /** GPU devices each pod requests. */
  public readonly gpusPerPod: number;
  /** Model architecture, when known. */
  public readonly architecture?: ModelArchitecture;
  /** The model cache the weights come from, if any. */
  public readonly modelCache?: ModelCache;
  /** Multimodal settings, when the pool takes images. */
  public readonly multimodal?: MultimodalOptions;
  private readonly role: WorkerRole;
  private readonly poolProps: WorkerPoolProps;
  private lora?: { readonly maxRank: number };
  /** The ConfigMap holding engine config files (TRT-LLM), if the engine reads any. */
  private readonly engineConfig?: k8s.KubeConfigMap;

  /**
   * @param graph the graph the pool joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param type the DGD component type (worker, prefill or decode)
   * @param role what each engine does: serve whole requests, prefill or decode in a disaggregated pair, or encode images
   * @param props model, GPU, engine tuning, scheduling and resources of the pool
   */
  protected constructor(graph: DynamoGraph, id: string, type: ComponentType, role: WorkerRole, props: WorkerPoolProps) {
    super(graph, id, type, props);
    this.role = role;
    this.poolProps = props;
    this.model = props.model;
    this.multimodal = role === 'encode' ? props.multimodal ?? {} : props.multimodal;
    this.backend = props.backend ?? graph.backend;
    PropError.check(this.backend === graph.backend, this, 'backend', this.backend, `the graph's backend '${graph.backend}'`,
      'one graph runs one engine (DGD backendFramework)');
    HealthChecks.check(this, props);
    ComponentResourceDefaults.check(this, props.resources);
    PropError.check(!(props.gpu && props.gpuRequest), this, 'gpuRequest', props.gpuRequest?.toString(), 'either gpu or gpuRequest, not both');
    this.gpuRequest = props.gpuRequest ?? (props.gpu ? GpuRequest.whole(props.gpu) : GpuRequest.anyGpu());
    this.architecture = props.architecture ?? ModelArchitecture.tryOf(props.model);
    this.modelCache = props.modelCache;
    if (this.multimodal && props.architecture === undefined && this.architecture) {
      PropError.check(this.architecture.visionEncoder !== undefined, this, 'model', props.model,
        'a vision-language model (or one outside the catalog)', `${this.architecture.name} is a text-only model in the catalog and takes no images`);
    }

    // Validate the engine settings now, so a bad prop fails at the line that set it.
    const settings = this.settings(false);
    EngineCommands.validate(settings, this);
    const engineGpus = EngineCommands.gpusPerEngine(settings);
    this.nodeCount = this.resolveNodeCount(engineGpus);
    this.gpusPerPod = engineGpus / this.nodeCount;
    this.checkGpus(engineGpus);
    if (this.nodeCount > 1) {
      for (const prop of PROBE_PROPS) {
        const value = props[prop];
        PropError.check(value === undefined, this, prop, typeof value === 'object' ? value.toHumanString() : value,
          'unset on a multinode pool', 'the operator sets the probes of multinode engines (and removes them from non-leader pods)');
      }
    }
    this.checkArchitecture();
    WorkerPool._checkQuantization(this, this.backend, props.quantization, this.architecture);
    if (props.modelCache) {
      PropError.check(props.modelCache.model === props.model, this, 'modelCache', props.modelCache.model,
        `a ModelCache of '${props.model}'`, 'the cache holds a different model');
      const cacheNamespace = props.modelCache.namespace ?? Chart.of(props.modelCache).namespace;
      PropError.check(cacheNamespace === graph.namespace, this, 'modelCache', cacheNamespace ?? '(no namespace)',
        `a ModelCache in the graph's namespace (${graph.namespace ?? '(no namespace)'})`, 'pods can only mount claims of their own namespace');
      const manyNodes = [PersistentVolumeAccessMode.READ_WRITE_MANY, PersistentVolumeAccessMode.READ_ONLY_MANY];
      const sharedAcrossNodes = manyNodes.includes(props.modelCache.accessMode);
      PropError.check(this.nodeCount === 1 || sharedAcrossNodes, this, 'modelCache', `${props.modelCache.node.path} (${props.modelCache.accessMode})`,
        'a ModelCache with accessMode ReadWriteMany or ReadOnlyMany', `the engine spans ${this.nodeCount} nodes and each of them mounts the claim`);
      props.modelCache._attach(this);
    }
    if (EngineCommands.render(settings, this).configFiles.length > 0) {
      this.engineConfig = new k8s.KubeConfigMap(this, 'EngineConfig', {
        metadata: { name: `${graph.name}-${this.componentName.toLowerCase()}-engine`, namespace: graph.namespace },
        data: Lazy.any({ produce: () => WorkerPool.configData(this.engineCommand().configFiles) }),
      });
    }
    // Compute placement and shm once to surface scheduling-prop errors at construction.
    this._placement();
    GpuPod.sharedMemory(this.gpusPerPod, props, this);
  }


  /**
   * Serve LoRA adapters on top of the base model (used by the LoRA constructs).
   * @internal
   */
  public _enableLora(maxRank: number): void {
    this.lora = { maxRank };
    EngineCommands.validate(this.settings(false), this);
  }

  /**
   * What the pool's engines do in the graph.
   * @internal
   */
  public get _role(): WorkerRole {
    return this.role;
  }

  /** @internal */
  public _kvTransferFacts(): KvTransferFacts {
    const p = this.poolProps;
    return {
      pool: this,
      model: this.model,
      kvCacheDtype: p.kvCacheDtype ?? this.architecture?.kvCacheDtype ?? KvCacheDtype.BF16,
      tensorParallel: p.tensorParallel ?? 1,
      architecture: this.architecture,
      gpuArchitecture: this.gpuRequest.gpu?.architecture,
      env: { ...this.graph._envLiterals(), ...p.env },
      extraArgs: p.extraArgs ?? [],
    };
  }

  /**
   * Node selector, affinity and tolerations of the pool's pods (the model cache's download Job reuses them).
   * @internal
   */
  public _placement(): GpuPlacement {
    const gpu = GpuPod.placement(this.gpuRequest, this.poolProps, this, this.poolProps.tolerations);
    return { ...gpu, affinity: PodOverrides.affinity(gpu.affinity, this.poolProps.affinity) };
  }

  /** @internal */
  public _details(): ComponentDetails {
    const command = this.engineCommand();
    const download = this.hubDownloadBytes();
    // Without a model cache every pod downloads the checkpoint into its container disk (the HF cache under /root):
    // reserve that much node-local storage, or a large model fills the node's disk and gets pods evicted.
    const own = this.poolProps.resources ?? {};
    const ephemeralStorage = own.ephemeralStorage
      ?? (download !== undefined ? Size.gibibytes(Math.max(SCRATCH_GIB, Math.ceil(download / GIB) + CACHE_HEADROOM_GIB)) : undefined);
    const gpu = GpuPod.resources(this.gpuRequest, this.gpusPerPod, this.poolProps, this);
    const resources = ComponentResourceDefaults.render({ ...own, ephemeralStorage },
      { cpu: gpu.cpu, memory: gpu.memory, ephemeralStorage: `${SCRATCH_GIB}Gi` }, gpu.devices);
    const placement = this._placement();
    const probes = HealthChecks.worker(this.poolProps, this.loadBytesPerPod(download));
    // The operator removes probes from non-leader pods of multinode engines; explicit ones would survive on them.
    const multinode = this.nodeCount > 1;
    const cache = this.modelCache;
    return {
      command: command.command,
      args: command.args,
      workingDir: command.workingDir,
      env: [...command.env, ...(this.multimodal ? this.graph._multimodalEnv() : [])],
      resources,
      claimMounts: cache ? [{ claimName: cache.claimName, mountPath: cache.mountPath }] : [],
      volumes: [
        ...(this.engineConfig ? [{ name: 'engine-config', configMap: { name: this.engineConfig.name } }] : []),
        ...(this.lora ? [{ name: 'lora-adapters', emptyDir: {} }] : []),
      ],
      volumeMounts: [
        ...[...new Set(command.configFiles.map(f => f.mountPath))].map(mountPath => ({ name: 'engine-config', mountPath, readOnly: true })),
        ...(this.lora ? [{ name: 'lora-adapters', mountPath: EngineCommands.LORA_PATH }] : []),
      ],
      podAnnotations: {
        ...this.intentAnnotations(),
        // Pods read the ConfigMap at start only: a content hash in the pod template rolls them when it changes.
        ...(this.engineConfig ? { 'cdk8s-dynamo.io/engine-config-sha256': WorkerPool.sha256(WorkerPool.configData(command.configFiles)) } : {}),
      },
      initContainers: cache ? [cache._waitContainer(this.image)] : [],
      startupProbe: multinode ? undefined : probes.startup,
      livenessProbe: multinode ? undefined : probes.liveness,
      readinessProbe: multinode ? undefined : probes.readiness,
      sharedMemorySize: GpuPod.sharedMemory(this.gpusPerPod, this.poolProps, this),
      nodeCount: multinode ? this.nodeCount : undefined,
      modelRef: this.lora ? { name: this.model } : undefined,
      nodeSelector: placement.nodeSelector,
      affinity: placement.affinity,
      tolerations: placement.tolerations,
      placesPods: true,
    };
  }

  /**
   * What the pool serves, for the policy rules that size memory and load time (`IntentAnnotations`): the YAML alone
   * does not say how big a model outside the catalog is. Figures the pool does not know are left out.
   */
  private intentAnnotations(): { [key: string]: string } {
    const p = this.poolProps;
    const arch = this.architecture;
    // An encoder loads the vision tower only and keeps no KV cache: no length, and the encoder's weights.
    const encode = this.role === 'encode';
    const maxModelLen = encode ? undefined : p.maxModelLen ?? arch?.maxContextLength;
    const annotations: { [key: string]: string } = {
      [IntentAnnotations.MODEL]: this.model,
      [IntentAnnotations.TENSOR_PARALLEL]: String(p.tensorParallel ?? 1),
      [IntentAnnotations.PIPELINE_PARALLEL]: String(p.pipelineParallel ?? 1),
    };
    if (maxModelLen !== undefined) annotations[IntentAnnotations.MAX_MODEL_LEN] = String(maxModelLen);
    if (this.gpuRequest.memoryGiB !== undefined) annotations[IntentAnnotations.GPU_MEMORY_GIB] = String(this.gpuRequest.memoryGiB);
    if (encode) {
      const encoder = arch?.visionEncoder;
      if (encoder) annotations[IntentAnnotations.WEIGHTS_GIB] = String(Math.ceil(encoder.weightBytes() / GIB * 100) / 100);
      return annotations;
    }
    if (arch) {
      // Rounded up, so the rules never under-estimate; sliding-window layers count what a max-length sequence keeps.
      const weightsGiB = arch.weightBytes(p.quantization ?? arch.quantization) / GIB;
      annotations[IntentAnnotations.WEIGHTS_GIB] = String(Math.ceil(weightsGiB * 100) / 100);
      if (maxModelLen !== undefined) {
        const kvBytes = arch.kvCacheBytesPerSequence(maxModelLen, p.kvCacheDtype);
        annotations[IntentAnnotations.KV_BYTES_PER_TOKEN] = String(Math.ceil(kvBytes / maxModelLen));
      }
    }
    return annotations;
  }

  /**
   * Bytes of checkpoint each pod downloads from the Hugging Face Hub into its container disk, when the model is
   * known: none with a model cache, or with a claim mounted over the Hugging Face cache (`HF_HOME`).
   */
  private hubDownloadBytes(): number | undefined {
    const arch = this.architecture;
    const hfHome = this.poolProps.env?.HF_HOME ?? this.graph._envValue('HF_HOME') ?? HF_HOME_DEFAULT;
    const onClaim = (this.poolProps.claimMounts ?? []).some(m => `${hfHome}/`.startsWith(`${m.mountPath.replace(/\/+$/, '')}/`));
    // The checkpoint as published: a runtime `quantization` still downloads the original weights.
    return this.modelCache || onClaim || !arch ? undefined : arch.weightBytes(arch.quantization);
  }

  /**
   * Bytes a pod reads before it serves: the whole checkpoint when it downloads it, else its share of the weights
   * from the cache. Undefined when the model is unknown.
   */
  private loadBytesPerPod(download: number | undefined): number | undefined {
    if (download !== undefined) return download;
    const arch = this.architecture;
    if (!arch) return undefined;
    if (this.role === 'encode') return arch.visionEncoder?.weightBytes();
    const p = this.poolProps;
    const shards = (p.tensorParallel ?? 1) * (p.pipelineParallel ?? 1);
    return arch.weightBytes(arch.quantization) * Math.min(1, this.gpusPerPod / shards);
  }

  private engineCommand(): EngineCommand {
    return EngineCommands.render(this.settings(this.graph.kvEventsPublished), this);
  }

  private settings(kvEvents: boolean): EngineSettings {
    const p = this.poolProps;
    return {
      backend: this.backend,
      role: this.role,
      disaggregated: this.role === 'prefill' || this.role === 'decode',
      multimodal: this.multimodalSettings(),
      model: p.model,
      modelPath: p.modelCache?.modelPath,
      tensorParallel: p.tensorParallel ?? 1,
      pipelineParallel: p.pipelineParallel ?? 1,
      dataParallel: p.dataParallel ?? 1,
      expertParallel: p.expertParallel ?? 1,
      isMoe: this.architecture?.isMoe,
      maxBatchSize: p.maxBatchSize,
      maxNumBatchedTokens: p.maxNumBatchedTokens,
      maxModelLen: p.maxModelLen,
      kvCacheDtype: p.kvCacheDtype,
      quantization: p.quantization,
      gpuMemoryUtilization: p.gpuMemoryUtilization,
      bootstrapPort: p.bootstrapPort,
      kvEvents,
      nodeCount: this.nodeCount ?? p.nodeCount ?? 1,
      lora: this.lora,
      trtllm: p.trtllm,
      extraArgs: p.extraArgs ?? [],
    };
  }

  private multimodalSettings(): MultimodalEngineSettings | undefined {
    const mm = this.multimodal;
    return mm ? { ...mm, pattern: this.graph.multimodalPattern } : undefined;
  }

  private resolveNodeCount(engineGpus: number): number {
    const explicit = this.poolProps.nodeCount;
    if (explicit !== undefined) {
      PropError.integer(this, 'nodeCount', explicit, 1, 1024);
      PropError.check(engineGpus % explicit === 0, this, 'nodeCount', explicit,
        `a divisor of the engine's ${engineGpus} GPUs`, 'each node of a multinode engine holds the same number of GPUs');
      return explicit;
    }
    const perNode = this.gpuRequest.devicesPerNode;
    if (perNode === undefined || engineGpus <= perNode || this.gpuRequest.isMig) return 1;
    const nodes = Math.ceil(engineGpus / perNode);
    PropError.check(engineGpus % nodes === 0, this, 'tensorParallel', this.poolProps.tensorParallel ?? 1,
      `a parallelism whose GPU count (${engineGpus}) splits evenly over ${nodes} nodes of ${perNode} GPUs, or an explicit nodeCount`);
    return nodes;
  }

  private checkGpus(engineGpus: number): void {
    const p = this.poolProps;
    const tp = p.tensorParallel ?? 1;
    if (this.gpuRequest.isMig) {
      PropError.check(engineGpus === 1 && this.nodeCount === 1, this, 'tensorParallel', tp,
        '1 (and pipelineParallel 1, one node) with a MIG slice', `${this.gpuRequest} is one isolated slice; NCCL cannot span slices`);
    }
    const perNode = this.gpuRequest.devicesPerNode;
    if (perNode !== undefined) {
      PropError.check(this.gpusPerPod <= perNode, this, 'tensorParallel', tp,
        `a parallelism needing at most gpusPerNode x nodeCount = ${perNode} x ${this.nodeCount} = ${perNode * this.nodeCount} GPUs`,
        `the engine needs ${engineGpus} GPUs (TP ${tp} x PP ${p.pipelineParallel ?? 1}${this.backend === Backend.VLLM ? ` x DP ${p.dataParallel ?? 1}` : ''})`);
    }
    GpuPod.validate(this, this.gpuRequest, this.gpusPerPod, 'tensorParallel');
  }

  private checkArchitecture(): void {
    const arch = this.architecture;
    if (!arch) return;
    const p = this.poolProps;
    const tp = p.tensorParallel ?? 1;
    if (this.role === 'encode') {
      this.checkEncoder(arch, tp);
      return;
    }
    PropError.check(arch.numAttentionHeads % tp === 0, this, 'tensorParallel', tp,
      `a divisor of the model's ${arch.numAttentionHeads} attention heads`, `${arch.name} cannot split its heads evenly`);
    if (!arch.isMla) {
      const kv = arch.numKeyValueHeads;
      PropError.check(kv % tp === 0 || tp % kv === 0, this, 'tensorParallel', tp,
        `a divisor or multiple of the model's ${kv} KV heads`, `${arch.name} cannot split its KV heads evenly`);
    }
    const memoryGiB = this.gpuRequest.memoryGiB;
    if (memoryGiB === undefined) return;
    const quantization = p.quantization ?? arch.quantization;
    const tpPp = tp * (p.pipelineParallel ?? 1);
    // Experts are sharded over every GPU of the engine; dense weights only over TP x PP.
    const shards = arch.isMoe && (p.expertParallel ?? 1) > 1 ? this.gpusPerPod * this.nodeCount : tpPp;
    const perGpu = arch.weightBytes(quantization) / shards;
    PropError.check(perGpu <= memoryGiB * GIB, this, 'tensorParallel', tp,
      `a parallelism that leaves at most ${memoryGiB} GiB of weights per ${this.gpuRequest} (needs about ${Math.ceil(arch.weightBytes(quantization) / (memoryGiB * GIB))} GPUs)`,
      `${arch.name} (${quantization}) weighs ${(arch.weightBytes(quantization) / GIB).toFixed(1)} GiB, ${(perGpu / GIB).toFixed(1)} GiB per GPU`);
  }

  /** An encode worker shards the vision encoder, not the language model: its heads and weights are what must fit. */
  private checkEncoder(arch: ModelArchitecture, tp: number): void {
    const encoder = arch.visionEncoder;
    if (!encoder) return;
    PropError.check(encoder.numAttentionHeads % tp === 0, this, 'tensorParallel', tp,
      `a divisor of the vision encoder's ${encoder.numAttentionHeads} attention heads`, `${arch.name}'s encoder cannot split its heads evenly`);
    const memoryGiB = this.gpuRequest.memoryGiB;
    const perGpu = encoder.weightBytes() / tp;
    PropError.check(memoryGiB === undefined || perGpu <= memoryGiB * GIB, this, 'gpu', this.gpuRequest.toString(),
      `a GPU with more than ${(perGpu / GIB).toFixed(1)} GiB`, `${arch.name}'s vision encoder weighs ${(encoder.weightBytes() / GIB).toFixed(1)} GiB`);
  }
}
