import { ApiObject, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { DeploymentRequestGraphMetadata, DeploymentRequestProfiling, DeploymentRequestProfilingConfig } from './deployment-request-profiling';
import { Planner } from './planner';
import { PlannerConfig, PlannerSettings } from './planner-config';
import { PlatformWorkload } from './platform-workload';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';
import { GpuProfile } from '../gpu/gpu-profile';
import { DynamoApiVersion } from '../graph/dynamo-api-version';
import { DynamoNames } from '../graph/names';
import { DynamoRuntime } from '../graph/runtime-image';
import { Sla } from '../optimizer/sla';

/**
 * How hard the on-cluster profiler searches for the configuration to deploy (`spec.searchStrategy`). Not the
 * Planner's `PlannerSweepMode`, which decides what performance data the Planner scales on once the graph runs.
 */
export enum ProfilingSearchStrategy {
  /** A fast sweep. */
  RAPID = 'rapid',
  /** A wider sweep that explores more configurations. */
  THOROUGH = 'thorough',
}

/**
 * What the profiler optimizes when several configurations meet the SLA (`spec.sla.optimizationType`).
 */
export enum SlaOptimizationType {
  /** Lowest latency. */
  LATENCY = 'latency',
  /** Highest throughput per GPU. */
  THROUGHPUT = 'throughput',
}

/**
 * GPU-to-GPU interconnect inside a node (`spec.hardware.interconnect`).
 */
export enum GpuInterconnect {
  /** NVLink / NVSwitch. */
  NVLINK = 'nvlink',
  /** PCIe only. */
  PCIE = 'pcie',
}

/**
 * Service-level targets the profiler must meet (`spec.sla`): the optimizer's `Sla` (`ttftMs`, `itlMs`), or an
 * end-to-end latency instead, and a tie-breaker. A TTFT or ITL target left unset is left to the profiler: the
 * optimizer's defaults that `Sla` documents do not apply here.
 */
export interface DeploymentRequestSla extends Sla {
  /**
   * End-to-end request latency target, milliseconds; an alternative to `ttftMs` + `itlMs`.
   * @default - TTFT and ITL targets are used
   */
  readonly e2eLatencyMs?: number;
  /**
   * Tie-breaker among configurations that meet the targets.
   * @default - the profiler's default
   */
  readonly optimizationType?: SlaOptimizationType;
}

/**
 * The traffic the profiler sizes the deployment for (`spec.workload`). Named as the optimizer's `Workload`, which it
 * does not extend: the profiler takes no maximum sequence length, and it also targets a concurrency.
 */
export interface DeploymentRequestWorkload {
  /**
   * Mean input (prompt) tokens per request (`isl`).
   * @default 4000
   */
  readonly inputSequenceLength?: number;
  /**
   * Mean output tokens per request (`osl`).
   * @default 1000
   */
  readonly outputSequenceLength?: number;
  /**
   * Target concurrent requests. Exclusive with `requestRate`.
   * @default - maximum-throughput selection (unless the Planner is enabled)
   */
  readonly concurrency?: number;
  /**
   * Target request rate, requests per second. Exclusive with `concurrency`.
   * @default - maximum-throughput selection (unless the Planner is enabled)
   */
  readonly requestRate?: number;
}

/**
 * The GPUs the profiler may use. Cluster-wide operators discover them; namespace-restricted operators need them.
 */
export interface DeploymentRequestHardware {
  /**
   * GPU type; must be one Dynamo knows (`GpuProfile.dynamoGpuSku`).
   * @default - the most common GPU in the cluster
   */
  readonly gpu?: GpuProfile;
  /**
   * GPU budget for profiling and deployment.
   * @default - all discovered GPUs of that type (capped at 32 by the operator)
   */
  readonly totalGpus?: number;
  /**
   * GPUs per node.
   * @default - discovered
   */
  readonly gpusPerNode?: number;
  /**
   * Memory per GPU (`vramMb`), e.g. `Size.mebibytes(81559)` for an H100 80GB as the device plugin reports it. A
   * whole number of MiB. Written only when given: the operator's GPU discovery reads the real figure.
   * @default - discovered by the operator (from `gpu` when discovery is unavailable)
   */
  readonly gpuMemory?: Size;
  /**
   * Interconnect inside a node.
   * @default - discovered when possible
   */
  readonly interconnect?: GpuInterconnect;
  /**
   * Whether nodes have RDMA networking for KV transfer.
   * @default - discovered when possible
   */
  readonly rdma?: boolean;
}

/**
 * A PVC that already holds the model weights, so profiling and the generated graph skip the download.
 */
export interface DeploymentRequestModelCache {
  /** Name of the PVC, in the request's namespace. */
  readonly pvcName: string;
  /** Directory of the checkpoint inside the PVC, e.g. `models/Llama-3.1-70B`. */
  readonly modelPath: string;
  /**
   * Where the PVC is mounted in the containers.
   * @default '/opt/model-cache'
   */
  readonly mountPath?: string;
}

/**
 * Props of `DynamoGraphDeploymentRequest`.
 */
export interface DynamoGraphDeploymentRequestProps {
  /** Model to deploy: a Hugging Face id or a private model name. */
  readonly model: string;
  /**
   * Inference engine.
   * @default - the profiler picks one (`auto`)
   */
  readonly backend?: Backend;
  /**
   * Image of the profiling job (the Dynamo Planner image).
   * @default - `Planner.DEFAULT_IMAGE` (`nvcr.io/nvidia/ai-dynamo/dynamo-planner` at `DynamoVersions.PLANNER`)
   */
  readonly image?: string;
  /**
   * Dynamo runtime version of the generated graph's components, `MAJOR.MINOR.PATCH`.
   * @default - read from the image tag; required when the tag is not a version
   */
  readonly runtimeVersionOverride?: string;
  /**
   * Service-level targets.
   * @default - the profiler's defaults (not the optimizer's)
   */
  readonly sla?: DeploymentRequestSla;
  /**
   * Expected traffic.
   * @default - 4000 input and 1000 output tokens, maximum-throughput selection
   */
  readonly workload?: DeploymentRequestWorkload;
  /**
   * GPUs to profile and deploy on.
   * @default - discovered by the operator (cluster-wide installs only)
   */
  readonly hardware?: DeploymentRequestHardware;
  /**
   * Pre-downloaded weights on a PVC.
   * @default - weights are downloaded from Hugging Face
   */
  readonly modelCache?: DeploymentRequestModelCache;
  /**
   * Profiling depth.
   * @default ProfilingSearchStrategy.RAPID
   */
  readonly searchStrategy?: ProfilingSearchStrategy;
  /**
   * Create the DynamoGraphDeployment as soon as profiling ends. When false, the generated spec waits in the
   * request's status for review.
   * @default true
   */
  readonly autoApply?: boolean;
  /**
   * Deploy the Planner with the generated graph, with these settings (`spec.features.planner`). Its `sla` targets
   * default to the request's `sla`, its GPU budget to `hardware.totalGpus`, and an unset `sweepMode` is left to the profiler, so the
   * profiling job prepares the performance data throughput scaling needs.
   * @default - no Planner
   */
  readonly planner?: PlannerSettings;
  /**
   * Deploy simulated (mocker) workers instead of real engines, for tests without GPUs.
   * @default false
   */
  readonly mocker?: boolean;
  /**
   * Fields merged into the profiling Job's spec, e.g. tolerations for GPU nodes. The CRD validates it as a whole
   * JobSpec, so it carries a `template` whose `spec.containers` lists at least one (named) container.
   * @default - none
   */
  readonly profilingJobOverrides?: k8s.JobSpec;
  /**
   * A partial DynamoGraphDeployment whose fields override the generated one. It names its version: `apiVersion`
   * `nvidia.com/v1alpha1` or `nvidia.com/v1beta1`, `kind` `DynamoGraphDeployment` (the profiler merges it with that
   * version's schema). An untyped map, passed through as given: it may be a partial DGD of either version, whose
   * shapes differ (`spec.services` map in v1alpha1, `spec.components` list in v1beta1).
   * @default - none
   */
  readonly graphOverrides?: { [key: string]: any };
  /**
   * `metadata.name` of the request.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the request (and of the graph it creates).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * API version to write. `nvidia.com/v1alpha1` (deprecated upstream, for operators before 1.2) carries the
   * profiler's own configuration (`profilingConfig`): use `profiling` and `generatedGraph` with it. Props that
   * version has no field for are refused there, and the other way round.
   * @default DynamoApiVersion.V1BETA1
   */
  readonly apiVersion?: DynamoApiVersion;
  /**
   * `nvidia.com/v1alpha1` only: how the profiler sweeps (`profilingConfig`).
   * @default - the profiler's defaults
   */
  readonly profiling?: DeploymentRequestProfiling;
  /**
   * `nvidia.com/v1alpha1` only: metadata and worker image of the graph the request creates (`deploymentOverrides`).
   * @default - named after the request, in its namespace, with the base graph's image
   */
  readonly generatedGraph?: DeploymentRequestGraphMetadata;
}

/** Props without a field in one of the two request versions, and why. */
const V1BETA1_ONLY: ReadonlyArray<readonly [string, (p: DynamoGraphDeploymentRequestProps) => unknown]> = [
  ['modelCache', p => p.modelCache],
  ['searchStrategy', p => p.searchStrategy],
  ['planner', p => p.planner],
  ['profilingJobOverrides', p => p.profilingJobOverrides],
  ['graphOverrides', p => p.graphOverrides],
  ['sla.e2eLatencyMs', p => p.sla?.e2eLatencyMs],
  ['sla.optimizationType', p => p.sla?.optimizationType],
  ['workload.concurrency', p => p.workload?.concurrency],
  ['workload.requestRate', p => p.workload?.requestRate],
  ['hardware.totalGpus', p => p.hardware?.totalGpus],
  ['hardware.gpuMemory', p => p.hardware?.gpuMemory],
  ['hardware.interconnect', p => p.hardware?.interconnect],
  ['hardware.rdma', p => p.hardware?.rdma],
];
const V1ALPHA1_ONLY: ReadonlyArray<readonly [string, (p: DynamoGraphDeploymentRequestProps) => unknown]> = [
  ['profiling', p => p.profiling],
  ['generatedGraph', p => p.generatedGraph],
];

/**
 * Asks the Dynamo operator to profile a model on the cluster and deploy the best configuration
 * (`nvidia.com/v1beta1` DynamoGraphDeploymentRequest, or the deprecated `nvidia.com/v1alpha1` one). The alternative to the synth-time optimizer when
 * you would rather measure on your own GPUs.
 */
export class DynamoGraphDeploymentRequest extends Construct {
  /** Drops undefined fields and returns undefined for an empty object, so unset sections are left out. */
  private static compact(o: { [key: string]: unknown }): { [key: string]: unknown } | undefined {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  /** The underlying API object. */
  public readonly apiObject: ApiObject;
  /** Profiling job image. */
  public readonly image: string;
  /** API version written. */
  public readonly apiVersion: DynamoApiVersion;
  private readonly props: DynamoGraphDeploymentRequestProps;
  private readonly runtimeVersion?: string;
  /** The Planner settings with the request's SLA and GPU budget filled in. */
  private readonly planner?: PlannerSettings;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props the model, targets and hardware to profile for
   */
  constructor(scope: Construct, id: string, props: DynamoGraphDeploymentRequestProps) {
    super(scope, id);
    this.props = props;
    PropError.check(props.model.trim().length > 0 && !/\s/.test(props.model), this, 'model', props.model, 'a Hugging Face id or model name without whitespace');
    DynamoRuntime._checkImage(this, 'image', props.image);
    this.image = props.image ?? Planner.DEFAULT_IMAGE;
    this.runtimeVersion = DynamoRuntime._versionOverride(this, this.image, props.runtimeVersionOverride);
    DynamoNames.checkLabel(this, 'name', props.name);
    this.validateSla(props.sla ?? {});
    this.validateWorkload(props.workload ?? {});
    this.validateHardware(props.hardware ?? {});
    this.validateModelCache(props.modelCache);
    this.validateOverrides(props);
    this.apiVersion = props.apiVersion ?? DynamoApiVersion.V1BETA1;
    this.validateVersion(props);
    this.planner = props.planner && PlannerConfig.withDefaults(props.planner, { sla: props.sla, maxGpuBudget: props.hardware?.totalGpus });
    if (this.planner) PlannerConfig.validate(this, this.planner, 'planner.');

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: this.apiVersion,
      kind: 'DynamoGraphDeploymentRequest',
      // cdk8s spreads metadata over its generated name: an explicit `name: undefined` would erase it.
      metadata: { ...(props.name !== undefined ? { name: props.name } : {}), namespace: props.namespace },
      spec: Lazy.any({ produce: () => this._toSpec() }),
    });
  }

  /** `metadata.name` of the request. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** `hardware.vramMb`, only when asked for: discovery reads what the device plugin reports. */
  private get vramMb(): number | undefined {
    return this.props.hardware?.gpuMemory?.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  }

  /** @internal */
  public _toSpec(): unknown {
    return this.apiVersion === DynamoApiVersion.V1ALPHA1 ? this.v1alpha1Spec() : this.v1beta1Spec();
  }

  /** The deprecated request: the profiler's own configuration under `profilingConfig`. */
  private v1alpha1Spec(): unknown {
    const p = this.props;
    const g = p.generatedGraph;
    return DynamoGraphDeploymentRequest.compact({
      model: p.model,
      backend: p.backend ?? 'auto',
      runtimeVersionOverride: this.runtimeVersion,
      autoApply: p.autoApply ?? true,
      useMocker: p.mocker ? true : undefined,
      profilingConfig: DeploymentRequestProfilingConfig.render(p.profiling ?? {}, this.image, {
        isl: p.workload?.inputSequenceLength,
        osl: p.workload?.outputSequenceLength,
        ttftMs: p.sla?.ttftMs,
        itlMs: p.sla?.itlMs,
        gpusPerNode: p.hardware?.gpusPerNode,
        gpu: p.hardware?.gpu,
      }),
      deploymentOverrides: g ? DynamoGraphDeploymentRequest.compact({
        name: g.name, namespace: g.namespace, labels: g.labels, annotations: g.annotations, workersImage: g.workersImage,
      }) : undefined,
    });
  }

  private v1beta1Spec(): unknown {
    const p = this.props;
    const sla = p.sla ?? {};
    const workload = p.workload ?? {};
    const hw = p.hardware ?? {};
    const spec: { [key: string]: unknown } = {
      model: p.model,
      backend: p.backend ?? 'auto',
      image: this.image,
      runtimeVersionOverride: this.runtimeVersion,
      searchStrategy: p.searchStrategy ?? ProfilingSearchStrategy.RAPID,
      autoApply: p.autoApply ?? true,
      sla: DynamoGraphDeploymentRequest.compact({
        ttft: sla.ttftMs, itl: sla.itlMs, e2eLatency: sla.e2eLatencyMs, optimizationType: sla.optimizationType,
      }),
      workload: DynamoGraphDeploymentRequest.compact({
        isl: workload.inputSequenceLength, osl: workload.outputSequenceLength, concurrency: workload.concurrency, requestRate: workload.requestRate,
      }),
      hardware: DynamoGraphDeploymentRequest.compact({
        gpuSku: hw.gpu?.dynamoGpuSku,
        totalGpus: hw.totalGpus,
        numGpusPerNode: hw.gpusPerNode,
        vramMb: this.vramMb,
        interconnect: hw.interconnect,
        rdma: hw.rdma,
      }),
      modelCache: p.modelCache ? {
        pvcName: p.modelCache.pvcName, pvcModelPath: p.modelCache.modelPath, pvcMountPath: p.modelCache.mountPath ?? '/opt/model-cache',
      } : undefined,
      features: DynamoGraphDeploymentRequest.compact({
        planner: this.planner ? PlannerConfig.toJson(this.planner, { backend: p.backend, profiled: true }) : undefined,
        mocker: p.mocker ? { enabled: true } : undefined,
      }),
      overrides: DynamoGraphDeploymentRequest.compact({
        profilingJob: p.profilingJobOverrides && k8s.toJson_JobSpec(p.profilingJobOverrides), dgd: p.graphOverrides,
      }),
    };
    return DynamoGraphDeploymentRequest.compact(spec);
  }

  /** Refuses props the chosen version has no field for, and checks the v1alpha1 ones. */
  private validateVersion(p: DynamoGraphDeploymentRequestProps): void {
    PropError.check(Object.values(DynamoApiVersion).includes(this.apiVersion), this, 'apiVersion', this.apiVersion, Object.values(DynamoApiVersion).join(', '));
    const v1alpha1 = this.apiVersion === DynamoApiVersion.V1ALPHA1;
    for (const [prop, get] of v1alpha1 ? V1BETA1_ONLY : V1ALPHA1_ONLY) {
      const value = get(p);
      PropError.check(value === undefined, this, prop, typeof value === 'object' ? Object.keys(value as object) : value, `unset on ${this.apiVersion}`,
        `a ${this.apiVersion} DynamoGraphDeploymentRequest has no field for it${v1alpha1 ? '' : ' (it is a nvidia.com/v1alpha1 prop)'}`);
    }
    if (!v1alpha1) return;
    DeploymentRequestProfilingConfig.check(this, p.profiling ?? {}, p.hardware?.gpu);
    const g = p.generatedGraph;
    if (g) {
      DynamoNames.checkLabel(this, 'generatedGraph.name', g.name);
      DynamoNames.checkLabel(this, 'generatedGraph.namespace', g.namespace);
      DynamoRuntime._checkImage(this, 'generatedGraph.workersImage', g.workersImage);
    }
  }

  private validateSla(sla: DeploymentRequestSla): void {
    for (const [prop, value] of [['ttftMs', sla.ttftMs], ['itlMs', sla.itlMs], ['e2eLatencyMs', sla.e2eLatencyMs]] as const) {
      PropError.check(value === undefined || (Number.isFinite(value) && value > 0), this, `sla.${prop}`, value, 'a positive number of milliseconds');
    }
    PropError.check(sla.e2eLatencyMs === undefined || (sla.ttftMs === undefined && sla.itlMs === undefined), this, 'sla.e2eLatencyMs', sla.e2eLatencyMs,
      'either e2eLatencyMs or ttftMs/itlMs', 'the end-to-end target replaces the TTFT and ITL targets');
  }

  private validateWorkload(w: DeploymentRequestWorkload): void {
    PropError.integer(this, 'workload.inputSequenceLength', w.inputSequenceLength, 1);
    PropError.integer(this, 'workload.outputSequenceLength', w.outputSequenceLength, 1);
    for (const [prop, value] of [['concurrency', w.concurrency], ['requestRate', w.requestRate]] as const) {
      PropError.check(value === undefined || (Number.isFinite(value) && value > 0), this, `workload.${prop}`, value, 'a positive number');
    }
    PropError.check(w.concurrency === undefined || w.requestRate === undefined, this, 'workload.requestRate', w.requestRate,
      'unset when workload.concurrency is set', 'the profiler targets either a concurrency or a request rate');
  }

  private validateHardware(hw: DeploymentRequestHardware): void {
    if (hw.gpu !== undefined && hw.gpu.dynamoGpuSku === undefined) {
      const known = GpuProfile.all().filter(g => g.dynamoGpuSku !== undefined).map(g => g.name).join(', ');
      throw PropError.invalid(this, 'hardware.gpu', hw.gpu.name, known, 'the Dynamo profiler has no GPU SKU for it');
    }
    PropError.integer(this, 'hardware.totalGpus', hw.totalGpus, 1);
    PropError.integer(this, 'hardware.gpusPerNode', hw.gpusPerNode, 1);
    PlatformWorkload.checkSize(this, 'hardware.gpuMemory', hw.gpuMemory, Size.mebibytes(1));
  }

  /** The profiler merges the graph override with the schema of the version it names (operator-facts §7). */
  private validateOverrides(p: DynamoGraphDeploymentRequestProps): void {
    const dgd = p.graphOverrides;
    if (dgd === undefined) return;
    PropError.check(['nvidia.com/v1alpha1', 'nvidia.com/v1beta1'].includes(dgd.apiVersion) && dgd.kind === 'DynamoGraphDeployment', this,
      'graphOverrides', `${dgd.apiVersion} ${dgd.kind}`, 'apiVersion nvidia.com/v1alpha1 or nvidia.com/v1beta1 with kind DynamoGraphDeployment',
      'the profiler merges the override with the schema of the version it names');
  }

  private validateModelCache(cache: DeploymentRequestModelCache | undefined): void {
    if (!cache) return;
    DynamoNames.checkLabel(this, 'modelCache.pvcName', cache.pvcName);
    PropError.check(cache.modelPath.length > 0 && !cache.modelPath.startsWith('/') && !/\s/.test(cache.modelPath), this,
      'modelCache.modelPath', cache.modelPath, 'a relative path inside the PVC, e.g. \'models/Qwen3-0.6B\'');
    PropError.check(cache.mountPath === undefined || /^\/\S*$/.test(cache.mountPath), this, 'modelCache.mountPath', cache.mountPath, 'an absolute path');
  }

}
