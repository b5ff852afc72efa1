import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PlatformWorkload } from './platform-workload';
import { PropError } from '../common/errors';
import { Sla } from '../optimizer/sla';

/**
 * Which workers the Planner scales.
 */
export enum PlannerMode {
  /** Separate prefill and decode pools, scaled independently. */
  DISAGGREGATED = 'disagg',
  /** Aggregated workers (prefill and decode in one engine). */
  AGGREGATED = 'agg',
  /** Only the prefill pool. */
  PREFILL = 'prefill',
  /** Only the decode pool. */
  DECODE = 'decode',
}

/**
 * What the Planner optimizes for (`optimization_target`).
 */
export enum PlannerOptimizationTarget {
  /** Meet the TTFT and ITL targets with the fewest GPUs. */
  SLA = 'sla',
  /** Maximize throughput within the GPU budget. */
  THROUGHPUT = 'throughput',
  /** Minimize latency within the GPU budget. */
  LATENCY = 'latency',
  /** Follow the observed load. */
  LOAD = 'load',
}

/**
 * How the Planner learns engine performance before it starts scaling (`pre_deployment_sweeping_mode`). Not the
 * same field as a `DynamoGraphDeploymentRequest`'s `ProfilingSearchStrategy`, which decides how hard the profiler
 * searches for the configuration to deploy; this one decides what performance data the Planner scales on afterwards
 * (and may be `NONE`).
 */
export enum PlannerSweepMode {
  /** No sweep: the Planner scales on observed metrics only. */
  NONE = 'none',
  /** A quick AIConfigurator-based sweep at start-up. */
  RAPID = 'rapid',
  /** A longer, more thorough sweep. */
  THOROUGH = 'thorough',
}

/**
 * The model that predicts the next interval's load (`load_predictor`).
 */
export enum PlannerLoadPredictor {
  /** ARIMA time-series model. */
  ARIMA = 'arima',
  /** The last observed value. */
  CONSTANT = 'constant',
  /** Kalman filter. */
  KALMAN = 'kalman',
  /** Prophet. */
  PROPHET = 'prophet',
}

/**
 * Settings of the Dynamo Planner (its `--config` JSON). Shared by `Planner` and
 * `DynamoGraphDeploymentRequest.planner`.
 */
export interface PlannerSettings {
  /**
   * What the Planner optimizes for.
   * @default PlannerOptimizationTarget.SLA
   */
  readonly optimizationTarget?: PlannerOptimizationTarget;

  /**
   * TTFT and ITL targets the Planner holds (`ttft_ms`, `itl_ms`). A target left unset here takes the Planner's
   * default, not the optimizer's: in a `DynamoGraphDeploymentRequest` the request's `sla` target, on a graph from
   * `DynamoGraph.fromSla` the plan's, else the Planner's own.
   * @default - the Planner's defaults (TTFT 500 ms, ITL 50 ms); a `DynamoGraphDeploymentRequest`'s `sla` or a
   * `DynamoGraph.fromSla` plan's targets when there is one
   */
  readonly sla?: Sla;

  /**
   * How often the Planner re-plans replicas from observed throughput.
   * @default Duration.seconds(60)
   */
  readonly throughputAdjustmentInterval?: Duration;

  /**
   * How often the Planner reacts to instantaneous load.
   * @default Duration.seconds(5)
   */
  readonly loadAdjustmentInterval?: Duration;

  /**
   * Scale on predicted throughput.
   * @default true
   */
  readonly throughputScaling?: boolean;

  /**
   * Scale on instantaneous load (queueing, KV pressure).
   * @default true
   */
  readonly loadScaling?: boolean;

  /**
   * Fewest replicas the Planner keeps of each pool it scales (`min_endpoint`).
   * @default 1
   */
  readonly minEndpoints?: number;

  /**
   * Most GPUs the Planner may use across the pools it scales (`max_gpu_budget`).
   * @default - 8, the Planner's default; in a `DynamoGraphDeploymentRequest`, its `hardware.totalGpus` when given
   */
  readonly maxGpuBudget?: number;

  /**
   * Fewest GPUs the Planner keeps in use (`min_gpu_budget`).
   * @default - no floor
   */
  readonly minGpuBudget?: number;

  /**
   * Prometheus the Planner reads frontend metrics from.
   * @default - `PROMETHEUS_ENDPOINT` from the operator configuration, else the kube-prometheus-stack service
   */
  readonly prometheusEndpoint?: string;

  /**
   * Performance sweep before scaling starts.
   * @default - PlannerSweepMode.NONE for a `Planner` (nothing profiled it, as in the upstream planner example); left to
   * the profiler in a `DynamoGraphDeploymentRequest` (the Planner's own default, `rapid`)
   */
  readonly sweepMode?: PlannerSweepMode;

  /**
   * Load prediction model.
   * @default - the Planner's default (ARIMA)
   */
  readonly loadPredictor?: PlannerLoadPredictor;

  /**
   * Only report scaling decisions (as metrics) without applying them.
   * @default false
   */
  readonly advisory?: boolean;

  /**
   * Directory the Planner reads pre-deployment profiling results from (`profile_results_dir`), e.g. where
   * `PlannerProps.profilingData` is mounted.
   * @default - the Planner's default (`profiling_results`); `/workspace/profiling_results` when a `Planner` mounts
   * `profilingData`
   */
  readonly profileResultsDir?: string;

  /**
   * Any other `PlannerConfig` key the typed settings lack (e.g. `{ scheduling: {...}, aic_interpolation: {...} }`),
   * passed through as given. Keys the typed settings or the graph set are refused, naming the prop.
   * @default - none
   */
  readonly extraConfig?: { [key: string]: any };
}

/** `PlannerConfig` keys the typed settings or the graph write, and where they come from. */
const OWNED_KEYS: { readonly [key: string]: string } = {
  environment: 'nothing (always kubernetes)',
  backend: 'the graph\'s backend',
  mode: 'mode',
  namespace: 'nothing (the Planner reads DYN_NAMESPACE)',
  optimization_target: 'optimizationTarget',
  ttft_ms: 'sla.ttftMs',
  itl_ms: 'sla.itlMs',
  enable_throughput_scaling: 'throughputScaling',
  enable_load_scaling: 'loadScaling',
  pre_deployment_sweeping_mode: 'sweepMode',
  throughput_adjustment_interval_seconds: 'throughputAdjustmentInterval',
  load_adjustment_interval_seconds: 'loadAdjustmentInterval',
  min_endpoint: 'minEndpoints',
  max_gpu_budget: 'maxGpuBudget',
  min_gpu_budget: 'minGpuBudget',
  prefill_engine_num_gpu: 'the prefill pool\'s parallelism',
  decode_engine_num_gpu: 'the decode pool\'s parallelism',
  load_predictor: 'loadPredictor',
  metric_pulling_prometheus_endpoint: 'prometheusEndpoint',
  advisory: 'advisory',
  profile_results_dir: 'profileResultsDir',
};

/**
 * Facts the Planner config takes from the graph rather than from the user.
 * @internal
 */
export interface PlannerGraphFacts {
  readonly backend?: string;
  readonly mode?: PlannerMode;
  readonly prefillEngineGpus?: number;
  readonly decodeEngineGpus?: number;
  /**
   * True in a DynamoGraphDeploymentRequest: its profiling job runs the pre-deployment sweep, so an unset sweep mode
   * is left out for the Planner's default instead of being turned off.
   */
  readonly profiled?: boolean;
  /** Where the Planner component mounts its profiling data, when it does. */
  readonly profileResultsDir?: string;
}

/**
 * Validates `PlannerSettings` and lays them out as the Planner's `PlannerConfig` keys (operator-facts §6).
 * @internal
 */
export class PlannerConfig {
  /** The Planner's own default `max_gpu_budget`. */
  public static readonly DEFAULT_MAX_GPU_BUDGET = 8;

  /**
   * The settings with each unset SLA target and the unset GPU budget taken from what the Planner comes with (a DGDR's
   * request, a `fromSla` plan).
   */
  public static withDefaults<T extends PlannerSettings>(s: T, defaults: { sla?: Sla; maxGpuBudget?: number }): T {
    const sla = { ttftMs: s.sla?.ttftMs ?? defaults.sla?.ttftMs, itlMs: s.sla?.itlMs ?? defaults.sla?.itlMs };
    return { ...s, sla, maxGpuBudget: s.maxGpuBudget ?? defaults.maxGpuBudget };
  }

  /** Throws a `PropError` for the first invalid setting; `prefix` qualifies prop names (e.g. `planner.`). */
  public static validate(scope: IConstruct, s: PlannerSettings, prefix = ''): void {
    for (const [prop, value] of [['sla.ttftMs', s.sla?.ttftMs], ['sla.itlMs', s.sla?.itlMs]] as const) {
      PropError.check(value === undefined || (Number.isFinite(value) && value > 0), scope, prefix + prop, value, 'a positive number of milliseconds');
    }
    PropError.integer(scope, prefix + 'minEndpoints', s.minEndpoints, 1);
    PropError.integer(scope, prefix + 'maxGpuBudget', s.maxGpuBudget, 1);
    PropError.integer(scope, prefix + 'minGpuBudget', s.minGpuBudget, 0);
    if (s.minGpuBudget !== undefined) {
      const max = s.maxGpuBudget ?? PlannerConfig.DEFAULT_MAX_GPU_BUDGET;
      PropError.check(s.minGpuBudget <= max, scope, prefix + 'minGpuBudget', s.minGpuBudget, `at most maxGpuBudget (${max})`);
    }
    for (const [prop, d] of [['throughputAdjustmentInterval', s.throughputAdjustmentInterval], ['loadAdjustmentInterval', s.loadAdjustmentInterval]] as const) {
      if (d !== undefined) PlatformWorkload.wholeSeconds(scope, prefix + prop, d);
    }
    PropError.check(s.throughputScaling !== false || s.loadScaling !== false, scope, prefix + 'loadScaling', false,
      'true, or throughputScaling true', 'with both throughput and load scaling off the Planner never scales');
    PlatformWorkload.checkHttpUrl(scope, prefix + 'prometheusEndpoint', s.prometheusEndpoint, 'http://prometheus.monitoring.svc:9090');
    PropError.check(s.profileResultsDir === undefined || /^\S+$/.test(s.profileResultsDir), scope, prefix + 'profileResultsDir', s.profileResultsDir,
      'a directory path without whitespace');
    const extra = s.extraConfig;
    if (extra === undefined) return;
    PropError.check(extra !== null && typeof extra === 'object' && !Array.isArray(extra), scope, prefix + 'extraConfig', extra, 'a map of PlannerConfig keys');
    for (const [key, value] of Object.entries(extra)) {
      PropError.check(/^[a-z][a-z0-9_]*$/.test(key), scope, prefix + 'extraConfig', key, 'snake_case PlannerConfig keys, e.g. aic_interpolation');
      const owner = OWNED_KEYS[key];
      PropError.check(owner === undefined, scope, `${prefix}extraConfig.${key}`, value, `keys other than ${key}; set ${owner} instead`,
        'the library writes this key from a typed setting');
      PropError.check(value !== undefined && (typeof value !== 'number' || Number.isFinite(value)) && typeof value !== 'function', scope,
        `${prefix}extraConfig.${key}`, value, 'a JSON value');
    }
  }

  /** The `PlannerConfig` object, keys in a fixed order so the JSON is byte-stable. */
  public static toJson(s: PlannerSettings, graph: PlannerGraphFacts): { [key: string]: unknown } {
    const config: { [key: string]: unknown } = { environment: 'kubernetes' };
    if (graph.backend !== undefined) config.backend = graph.backend;
    if (graph.mode !== undefined) config.mode = graph.mode;
    config.optimization_target = s.optimizationTarget ?? PlannerOptimizationTarget.SLA;
    if (s.sla?.ttftMs !== undefined) config.ttft_ms = s.sla.ttftMs;
    if (s.sla?.itlMs !== undefined) config.itl_ms = s.sla.itlMs;
    config.enable_throughput_scaling = s.throughputScaling ?? true;
    config.enable_load_scaling = s.loadScaling ?? true;
    const sweep = s.sweepMode ?? (graph.profiled ? undefined : PlannerSweepMode.NONE);
    if (sweep !== undefined) config.pre_deployment_sweeping_mode = sweep;
    config.throughput_adjustment_interval_seconds = (s.throughputAdjustmentInterval ?? Duration.seconds(60)).toSeconds();
    config.load_adjustment_interval_seconds = (s.loadAdjustmentInterval ?? Duration.seconds(5)).toSeconds();
    config.min_endpoint = s.minEndpoints ?? 1;
    config.max_gpu_budget = s.maxGpuBudget ?? PlannerConfig.DEFAULT_MAX_GPU_BUDGET;
    if (s.minGpuBudget !== undefined) config.min_gpu_budget = s.minGpuBudget;
    if (graph.prefillEngineGpus !== undefined) config.prefill_engine_num_gpu = graph.prefillEngineGpus;
    if (graph.decodeEngineGpus !== undefined) config.decode_engine_num_gpu = graph.decodeEngineGpus;
    if (s.loadPredictor !== undefined) config.load_predictor = s.loadPredictor;
    if (s.prometheusEndpoint !== undefined) config.metric_pulling_prometheus_endpoint = s.prometheusEndpoint;
    if (s.advisory !== undefined) config.advisory = s.advisory;
    const dir = s.profileResultsDir ?? graph.profileResultsDir;
    if (dir !== undefined) config.profile_results_dir = dir;
    return { ...config, ...s.extraConfig };
  }

  private constructor() {}
}
