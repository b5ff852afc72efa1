import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';
import { GpuProfile } from '../gpu/gpu-profile';
import { DynamoNames } from '../graph/names';

/**
 * A range of GPUs per engine the profiler sweeps (`hardware.min_num_gpus_per_engine` / `max_num_gpus_per_engine`).
 */
export interface DeploymentRequestGpuRange {
  /**
   * Fewest GPUs of one engine.
   * @default - discovered, else the profiler's default
   */
  readonly min?: number;
  /**
   * Most GPUs of one engine.
   * @default - discovered, else the profiler's default
   */
  readonly max?: number;
}

/**
 * AIConfigurator estimates instead of measured sweeps (`sweep.use_ai_configurator` and the `aic` section).
 */
export interface DeploymentRequestConfigurator {
  /** AIConfigurator (and its performance database) version, e.g. `0.20.0` (`aic.backend_version`). */
  readonly version: string;
  /**
   * System whose performance database is used (`aic.system`).
   * @default - `hardware.gpu`'s Dynamo SKU (required without it)
   */
  readonly system?: GpuProfile;
  /**
   * AIConfigurator's name of the model, e.g. `QWEN3_32B` (`aic.model_name`).
   * @default - the profiler derives it from the model
   */
  readonly modelName?: string;
}

/**
 * A DynamoGraphDeployment in a ConfigMap that the profiler starts from (`profilingConfig.configMapRef`).
 */
export interface DeploymentRequestBaseGraph {
  /** Name of the ConfigMap, in the request's namespace. */
  readonly configMapName: string;
  /**
   * Key of the DGD file in the ConfigMap.
   * @default 'disagg.yaml'
   */
  readonly key?: string;
}

/**
 * Metadata and image of the graph an `nvidia.com/v1alpha1` request creates (`deploymentOverrides`).
 */
export interface DeploymentRequestGraphMetadata {
  /**
   * Name of the DynamoGraphDeployment.
   * @default - the request's name
   */
  readonly name?: string;
  /**
   * Namespace of the DynamoGraphDeployment.
   * @default - the request's namespace
   */
  readonly namespace?: string;
  /**
   * Extra labels of the DynamoGraphDeployment.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Extra annotations of the DynamoGraphDeployment.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Image of the worker components, for the profiling runs and the final graph.
   * @default - the image of the base graph
   */
  readonly workersImage?: string;
}

/**
 * How the `nvidia.com/v1alpha1` profiler sweeps (`spec.profilingConfig`): what its `config` holds beyond the SLA and
 * workload, the base graph, where results go and how the profiling job schedules. Keys follow the profiler's
 * `profile_sla` configuration.
 */
export interface DeploymentRequestProfiling {
  /**
   * Longest context the engines must hold (`engine.max_context_length`).
   * @default - the model's
   */
  readonly maxContextLength?: number;
  /**
   * GPUs per engine to sweep.
   * @default - discovered, else the profiler's defaults
   */
  readonly gpusPerEngine?: DeploymentRequestGpuRange;
  /**
   * Points measured across the prefill sweep (`sweep.prefill_interpolation_granularity`).
   * @default - the profiler's default (16)
   */
  readonly prefillGranularity?: number;
  /**
   * Points measured across the decode sweep (`sweep.decode_interpolation_granularity`).
   * @default - the profiler's default (6)
   */
  readonly decodeGranularity?: number;
  /**
   * Estimate with AIConfigurator instead of running the engines.
   * @default - measured sweeps on real GPUs
   */
  readonly configurator?: DeploymentRequestConfigurator;
  /**
   * The DynamoGraphDeployment the profiler starts from.
   * @default - the profiler's own for the backend
   */
  readonly baseGraph?: DeploymentRequestBaseGraph;
  /**
   * A claim (in the request's namespace) the profiling job writes all its results to (`outputPVC`).
   * @default - an emptyDir that goes away with the job
   */
  readonly outputClaim?: string;
  /**
   * Resources of the profiling job.
   * @default - the operator's
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * Tolerations of the profiling job.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Node selector of the profiling job.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Other `profile_sla` configuration keys, merged map by map into `profilingConfig.config`. Keys the typed props
   * set are refused, naming the prop.
   * @default - none
   */
  readonly extraConfig?: { [key: string]: any };
}

/** `profile_sla` keys the typed props write, and the prop. */
const OWNED: { readonly [path: string]: string } = {
  'deployment.model': 'model',
  'engine.backend': 'backend',
  'engine.config': 'profiling.baseGraph',
  'engine.max_context_length': 'profiling.maxContextLength',
  'sla.isl': 'workload.inputSequenceLength',
  'sla.osl': 'workload.outputSequenceLength',
  'sla.ttft': 'sla.ttftMs',
  'sla.itl': 'sla.itlMs',
  'hardware.min_num_gpus_per_engine': 'profiling.gpusPerEngine.min',
  'hardware.max_num_gpus_per_engine': 'profiling.gpusPerEngine.max',
  'hardware.num_gpus_per_node': 'hardware.gpusPerNode',
  'sweep.prefill_interpolation_granularity': 'profiling.prefillGranularity',
  'sweep.decode_interpolation_granularity': 'profiling.decodeGranularity',
  'sweep.use_ai_configurator': 'profiling.configurator',
  'aic': 'profiling.configurator',
};

/**
 * What the v1alpha1 request's `profilingConfig.config` is built from besides `profiling`.
 * @internal
 */
export interface ProfilingConfigInputs {
  readonly isl?: number;
  readonly osl?: number;
  readonly ttftMs?: number;
  readonly itlMs?: number;
  readonly gpusPerNode?: number;
  readonly gpu?: GpuProfile;
}

/**
 * Validates `DeploymentRequestProfiling` and lays out the v1alpha1 `profilingConfig`.
 * @internal
 */
export class DeploymentRequestProfilingConfig {
  public static check(scope: IConstruct, p: DeploymentRequestProfiling, gpu: GpuProfile | undefined): void {
    PropError.integer(scope, 'profiling.maxContextLength', p.maxContextLength, 1);
    PropError.integer(scope, 'profiling.gpusPerEngine.min', p.gpusPerEngine?.min, 1);
    PropError.integer(scope, 'profiling.gpusPerEngine.max', p.gpusPerEngine?.max, 1);
    const { min, max } = p.gpusPerEngine ?? {};
    PropError.check(min === undefined || max === undefined || min <= max, scope, 'profiling.gpusPerEngine.max', max, `at least gpusPerEngine.min (${min})`);
    PropError.integer(scope, 'profiling.prefillGranularity', p.prefillGranularity, 2, 1000);
    PropError.integer(scope, 'profiling.decodeGranularity', p.decodeGranularity, 2, 1000);
    if (p.configurator) {
      PropError.check(/^\d+\.\d+(\.\d+)?([-.+][0-9A-Za-z.-]+)?$/.test(p.configurator.version ?? ''), scope, 'profiling.configurator.version',
        p.configurator.version, 'an AIConfigurator version such as \'0.20.0\'');
      const system = p.configurator.system ?? gpu;
      PropError.check(system !== undefined && system.dynamoGpuSku !== undefined, scope, 'profiling.configurator.system', system?.name,
        'a GpuProfile with a Dynamo SKU, or hardware.gpu', 'AIConfigurator needs the system whose performance database it reads');
      PropError.check(p.configurator.modelName === undefined || /^[A-Za-z0-9_.-]+$/.test(p.configurator.modelName), scope,
        'profiling.configurator.modelName', p.configurator.modelName, 'an AIConfigurator model name such as \'QWEN3_32B\'');
    }
    if (p.baseGraph) {
      DynamoNames.checkSubdomain(scope, 'profiling.baseGraph.configMapName', p.baseGraph.configMapName);
      PropError.check(p.baseGraph.key === undefined || /^[-._a-zA-Z0-9]+$/.test(p.baseGraph.key), scope, 'profiling.baseGraph.key', p.baseGraph.key,
        'a ConfigMap key (letters, digits, \'-\', \'_\', \'.\')');
    }
    DynamoNames.checkLabel(scope, 'profiling.outputClaim', p.outputClaim);
    if (p.extraConfig !== undefined) DeploymentRequestProfilingConfig.checkExtra(scope, p.extraConfig, '');
  }

  /** `spec.profilingConfig` of a v1alpha1 request. */
  public static render(p: DeploymentRequestProfiling, image: string, inputs: ProfilingConfigInputs): { [key: string]: unknown } {
    const compact = (o: { [key: string]: unknown }) => {
      const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
      return Object.keys(out).length > 0 ? out : undefined;
    };
    const system = p.configurator ? (p.configurator.system ?? inputs.gpu)?.dynamoGpuSku : undefined;
    const config = compact({
      sla: compact({ isl: inputs.isl, osl: inputs.osl, ttft: inputs.ttftMs, itl: inputs.itlMs }),
      hardware: compact({
        min_num_gpus_per_engine: p.gpusPerEngine?.min, max_num_gpus_per_engine: p.gpusPerEngine?.max, num_gpus_per_node: inputs.gpusPerNode,
      }),
      sweep: compact({
        use_ai_configurator: p.configurator ? true : undefined,
        prefill_interpolation_granularity: p.prefillGranularity,
        decode_interpolation_granularity: p.decodeGranularity,
      }),
      aic: p.configurator ? compact({ system, model_name: p.configurator.modelName, backend_version: p.configurator.version }) : undefined,
      engine: compact({ max_context_length: p.maxContextLength }),
    }) ?? {};
    return {
      profilerImage: image,
      config: DeploymentRequestProfilingConfig.merge(config, p.extraConfig ?? {}),
      ...(p.baseGraph ? { configMapRef: { name: p.baseGraph.configMapName, key: p.baseGraph.key ?? 'disagg.yaml' } } : {}),
      ...(p.outputClaim ? { outputPVC: p.outputClaim } : {}),
      ...(p.resources ? { resources: k8s.toJson_ResourceRequirements(p.resources) } : {}),
      ...(p.tolerations && p.tolerations.length > 0 ? { tolerations: p.tolerations.map(t => k8s.toJson_Toleration(t)) } : {}),
      ...(p.nodeSelector && Object.keys(p.nodeSelector).length > 0 ? { nodeSelector: { ...p.nodeSelector } } : {}),
    };
  }

  private static merge(base: { [key: string]: any }, extra: { [key: string]: any }): { [key: string]: any } {
    const out: { [key: string]: any } = { ...base };
    for (const [key, value] of Object.entries(extra)) {
      const maps = [out[key], value].every(v => v !== null && typeof v === 'object' && !Array.isArray(v));
      out[key] = maps ? DeploymentRequestProfilingConfig.merge(out[key], value) : value;
    }
    return out;
  }

  private static checkExtra(scope: IConstruct, extra: unknown, prefix: string): void {
    const prop = `profiling.extraConfig${prefix ? `.${prefix}` : ''}`;
    PropError.check(extra !== null && typeof extra === 'object' && !Array.isArray(extra), scope, prop, extra, 'a map of profile_sla configuration keys');
    for (const [key, value] of Object.entries(extra as object)) {
      const path = prefix ? `${prefix}.${key}` : key;
      PropError.check(/^[a-z][a-z0-9_]*$/.test(key), scope, 'profiling.extraConfig', path, 'snake_case profile_sla keys, e.g. sweep.force_rerun');
      const owner = OWNED[path];
      PropError.check(owner === undefined, scope, `profiling.extraConfig.${path}`, value, `keys other than ${path}; set ${owner} instead`,
        'the library writes this key from a typed prop');
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) DeploymentRequestProfilingConfig.checkExtra(scope, value, path);
    }
  }

  private constructor() {}
}
