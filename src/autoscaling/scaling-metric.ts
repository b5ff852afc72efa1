import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';

/**
 * Where a metric comes from: the pool's engines (selected per pool), the graph's frontend (selected per graph),
 * the pods' CPU (resource metrics), or a user query.
 * @internal
 */
export type MetricSource = 'engine' | 'frontend' | 'cpu' | 'custom';

/**
 * A metric resolved for one backend.
 * @internal
 */
export interface ResolvedMetric {
  readonly source: MetricSource;
  /** Name under which a metrics adapter serves it to the HPA (external metrics API). */
  readonly name: string;
  /** Series the query reads, for the adapter's discovery query; undefined for custom queries. */
  readonly series?: string;
  /**
   * True when the query sums over the pool and the target is per replica (HPA/KEDA `AverageValue`);
   * false when the query is already a pool-wide average or percentile (`Value`).
   */
  readonly perReplica: boolean;
  /** Target in the query's unit (CPU: percent of requests). */
  readonly target: number;
  /** The PromQL for the given label matchers (`a="x",b="y"`, no braces); undefined for HPA-only custom metrics. */
  readonly expr?: (matchers: string) => string;
}

/**
 * A custom Prometheus metric for `ScalingMetric.custom()`.
 */
export interface CustomScalingMetricProps {
  /**
   * Metric name. For an HPA it is the external metric your metrics adapter serves; for KEDA it only names the trigger.
   */
  readonly name: string;
  /**
   * PromQL returning one number (KEDA runs it as is). Required for `KedaPoolAutoscaler`.
   * @default - none: HPA only, served by your metrics adapter under `name`
   */
  readonly query?: string;
  /** Target value in the query's unit. */
  readonly target: number;
  /**
   * True when `target` is per replica (the query sums over the pool), false when the query is already an
   * average or percentile to hold at `target`.
   * @default true
   */
  readonly perReplica?: boolean;
}

/** Window of rate() and histogram_quantile() queries: long enough for 5-15 s scrape intervals. */
const WINDOW = '1m';

/** Engine gauges per backend (platform-facts §11.4); `undefined` = the engine exports no such gauge. */
const ENGINE_SERIES: { [metric: string]: { [backend: string]: string | undefined } } = {
  queued: { vllm: 'vllm:num_requests_waiting', sglang: 'sglang:num_queue_reqs', trtllm: undefined },
  kvCache: { vllm: 'vllm:kv_cache_usage_perc', sglang: 'sglang:token_usage', trtllm: 'trtllm_kv_cache_utilization' },
};

/**
 * A signal to autoscale a worker pool on, with its target. Each one is a metric Dynamo or the engine really
 * exports, queried per pool or per graph with the labels `DynamoMonitoring` adds.
 */
export class ScalingMetric {
  /**
   * Requests waiting in the engine's queue, per replica (`vllm:num_requests_waiting`, `sglang:num_queue_reqs`).
   * The classic scale-up signal for aggregated and decode pools. TRT-LLM exports no such gauge.
   * @param perReplica waiting requests per replica to hold, e.g. 5
   */
  public static queuedRequests(perReplica: number): ScalingMetric {
    return ScalingMetric.engine('queuedRequests', 'queued', 'queued_requests', perReplica, true, s => `sum(${s}{<M>})`);
  }

  /**
   * KV-cache usage averaged over the pool's engines (`vllm:kv_cache_usage_perc`, `sglang:token_usage`,
   * `trtllm_kv_cache_utilization`), as a percentage.
   * @param percent average usage to hold, 1-100, e.g. 80
   */
  public static kvCacheUsage(percent: number): ScalingMetric {
    return new ScalingMetric('kvCacheUsage', percent, (scope, prop, backend) => {
      ScalingMetric.checkPercent(scope, prop, percent);
      return ScalingMetric.engine('kvCacheUsage', 'kvCache', 'kv_cache_usage', percent / 100, false, s => `avg(${s}{<M>})`)._resolve(scope, prop, backend);
    });
  }

  /**
   * A percentile of time to first token over the last minute, measured at the graph's frontend
   * (`dynamo_frontend_time_to_first_token_seconds`). The prefill signal.
   * @param ms target latency in milliseconds
   * @param percentile which percentile, (0, 100)
   * @default percentile 95
   */
  public static ttft(ms: number, percentile?: number): ScalingMetric {
    return ScalingMetric.latency('ttft', 'dynamo_frontend_time_to_first_token_seconds', ms, percentile ?? 95);
  }

  /**
   * A percentile of inter-token latency over the last minute, measured at the graph's frontend
   * (`dynamo_frontend_inter_token_latency_seconds`). The decode signal.
   * @param ms target latency in milliseconds
   * @param percentile which percentile, (0, 100)
   * @default percentile 95
   */
  public static itl(ms: number, percentile?: number): ScalingMetric {
    return ScalingMetric.latency('itl', 'dynamo_frontend_inter_token_latency_seconds', ms, percentile ?? 95);
  }

  /**
   * Requests in flight at the graph's frontend (`dynamo_frontend_active_requests`), per replica of the pool:
   * concurrency per decode or aggregated worker.
   * @param perReplica in-flight requests per replica to hold
   */
  public static activeRequests(perReplica: number): ScalingMetric {
    return ScalingMetric.frontend('activeRequests', 'dynamo_frontend_active_requests', 'active_requests', perReplica,
      s => `sum(${s}{<M>})`);
  }

  /**
   * Requests waiting at the frontend's dispatch stage (`dynamo_frontend_stage_requests{stage="dispatch"}`), per
   * replica of the pool: the prefill saturation signal.
   * @param perReplica waiting requests per replica to hold
   */
  public static dispatchQueue(perReplica: number): ScalingMetric {
    return ScalingMetric.frontend('dispatchQueue', 'dynamo_frontend_stage_requests', 'dispatch_queue', perReplica,
      s => `sum(${s}{<M>,stage="dispatch"})`);
  }

  /**
   * Requests per second arriving at the graph's frontend (`dynamo_frontend_requests_total`), per replica of the pool.
   * @param perReplica requests per second per replica to hold
   */
  public static requestRate(perReplica: number): ScalingMetric {
    return ScalingMetric.frontend('requestRate', 'dynamo_frontend_requests_total', 'request_rate', perReplica,
      s => `sum(rate(${s}{<M>}[${WINDOW}]))`);
  }

  /**
   * CPU use as a percentage of the pods' CPU requests (resource metrics, no Prometheus needed).
   * Useful for frontends; GPU workers are rarely CPU bound.
   * @param percent average utilization to hold, 1-100
   */
  public static cpuUtilization(percent: number): ScalingMetric {
    return new ScalingMetric('cpuUtilization', percent, (scope, prop) => {
      ScalingMetric.checkPercent(scope, prop, percent);
      PropError.check(Number.isInteger(percent), scope, prop, percent, 'a whole percentage');
      return { source: 'cpu', name: 'cpu', perReplica: false, target: percent };
    });
  }

  /**
   * Any Prometheus query, for signals not covered above.
   * @param props the metric's name, its query and the target value (per replica or for the whole pool)
   */
  public static custom(props: CustomScalingMetricProps): ScalingMetric {
    return new ScalingMetric('custom', props.target, (scope, prop) => {
      PropError.check(/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(props.name), scope, `${prop}.name`, props.name, 'a Prometheus-style metric name ([a-zA-Z_][a-zA-Z0-9_]*)');
      ScalingMetric.checkPositive(scope, `${prop}.target`, props.target);
      PropError.check(props.query === undefined || props.query.trim().length > 0, scope, `${prop}.query`, props.query, 'a non-empty PromQL expression');
      const query = props.query?.trim();
      return {
        source: 'custom',
        name: props.name,
        perReplica: props.perReplica ?? true,
        target: props.target,
        expr: query === undefined ? undefined : () => query,
      };
    });
  }

  private static engine(
    label: string, key: string, nameSuffix: string, target: number, perReplica: boolean, expr: (series: string) => string,
  ): ScalingMetric {
    return new ScalingMetric(label, target, (scope, prop, backend) => {
      ScalingMetric.checkPositive(scope, prop, target);
      PropError.check(backend !== undefined, scope, 'backend', backend, Object.values(Backend).join(', '),
        `${label} reads engine metrics, whose names depend on the backend`);
      const series = ENGINE_SERIES[key][backend!];
      const supported = Object.entries(ENGINE_SERIES[key]).filter(([, s]) => s !== undefined).map(([b]) => b).join(', ');
      const allowed = `a metric the ${backend} engine exports (${label} works with ${supported}); e.g. ScalingMetric.kvCacheUsage(), ttft(), itl() or activeRequests()`;
      PropError.check(series !== undefined, scope, prop, label, allowed, `${backend} exports no gauge for it`);
      return {
        source: 'engine',
        name: `dynamo_autoscaling_${backend}_${nameSuffix}`,
        series,
        perReplica,
        target,
        expr: m => expr(series!).split('<M>').join(m),
      };
    });
  }

  private static frontend(label: string, series: string, nameSuffix: string, perReplica: number, expr: (series: string) => string): ScalingMetric {
    return new ScalingMetric(label, perReplica, (scope, prop) => {
      ScalingMetric.checkPositive(scope, prop, perReplica);
      return {
        source: 'frontend',
        name: `dynamo_autoscaling_${nameSuffix}`,
        series,
        perReplica: true,
        target: perReplica,
        expr: m => expr(series).split('<M>').join(m),
      };
    });
  }

  private static latency(label: string, histogram: string, ms: number, percentile: number): ScalingMetric {
    return new ScalingMetric(label, ms, (scope, prop) => {
      ScalingMetric.checkPositive(scope, prop, ms);
      PropError.check(Number.isFinite(percentile) && percentile > 0 && percentile < 100, scope, `${prop}.percentile`, percentile,
        'a percentile between 0 and 100 (exclusive), e.g. 95');
      const quantile = Number((percentile / 100).toPrecision(12));
      const series = `${histogram}_bucket`;
      // NaN (no requests in the window) fails `>= 0` and falls through to 0: an idle graph scales down.
      return {
        source: 'frontend',
        name: `dynamo_autoscaling_${label}_p${String(percentile).replace('.', '_')}_seconds`,
        series,
        perReplica: false,
        target: ms / 1000,
        expr: m => `(histogram_quantile(${quantile}, sum by (le) (rate(${series}{${m}}[${WINDOW}]))) >= 0) or vector(0)`,
      };
    });
  }

  private static checkPositive(scope: IConstruct, prop: string, value: number): void {
    PropError.check(Number.isFinite(value) && value > 0, scope, prop, value, 'a positive number');
  }

  private static checkPercent(scope: IConstruct, prop: string, value: number): void {
    PropError.check(Number.isFinite(value) && value > 0 && value <= 100, scope, prop, value, 'a percentage in (0, 100]');
  }

  private constructor(
    /** What the metric measures, e.g. `queuedRequests`. */
    public readonly label: string,
    /** The target as given. */
    public readonly target: number,
    private readonly resolver: (scope: IConstruct, prop: string, backend: Backend | undefined) => ResolvedMetric,
  ) {}

  /**
   * Validates the metric for a backend and resolves its query. Errors name `prop` (e.g. `metrics[0]`).
   * @internal
   */
  public _resolve(scope: IConstruct, prop: string, backend: Backend | undefined): ResolvedMetric {
    return this.resolver(scope, prop, backend);
  }
}
