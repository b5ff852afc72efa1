import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedMetric, ScalingMetric } from './scaling-metric';
import { ScalingTarget } from './scaling-target';
import { PropError } from '../common/errors';
import { DynamoNames } from '../graph/names';
import { DynamoMonitoring } from '../platform/monitoring';

/**
 * Props every pool autoscaler accepts.
 */
export interface PoolAutoscalerProps {
  /** The pool to scale: `ScalingTarget.pool(pool)` or `ScalingTarget.adapter({...})`. */
  readonly target: ScalingTarget;
  /** Most replicas. Mind the GPUs: each replica takes the pool's GPUs per replica. */
  readonly maxReplicas: number;
  /**
   * Fewest replicas, at least 1: Dynamo cannot scale a pool to zero (the model disappears from the frontend).
   * @default 1
   */
  readonly minReplicas?: number;
  /** Signals to scale on; the autoscaler follows whichever asks for the most replicas. */
  readonly metrics: ScalingMetric[];
  /**
   * How long load must stay low before replicas are removed. GPU workers take minutes to start, so err long.
   * @default - Kubernetes' default (5 minutes)
   */
  readonly scaleDownStabilization?: Duration;
  /**
   * `metadata.name` of the autoscaler object.
   * @default - the scaling adapter's name
   */
  readonly name?: string;
}

/**
 * What HPA and KEDA autoscalers of a Dynamo pool share: target, replica bounds, metrics resolved to Prometheus
 * queries on the labels `DynamoMonitoring` adds.
 */
export abstract class PoolAutoscaler extends Construct {
  /** What is scaled. */
  public readonly target: ScalingTarget;
  /** Fewest replicas. */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;
  /** Namespace of the autoscaler and of the graph. */
  public readonly namespace: string;
  /** `metadata.name` of the autoscaler object. */
  public readonly name: string;
  /** @internal */
  protected readonly _metrics: ResolvedMetric[];
  /** @internal */
  protected readonly _scaleDownSeconds?: number;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props the pool, replica bounds and metrics
   */
  protected constructor(scope: Construct, id: string, props: PoolAutoscalerProps) {
    super(scope, id);
    this.target = props.target;
    props.target._check(this);
    this.minReplicas = props.minReplicas ?? 1;
    this.maxReplicas = props.maxReplicas;
    PropError.integer(this, 'minReplicas', this.minReplicas, 1);
    PropError.integer(this, 'maxReplicas', this.maxReplicas, this.minReplicas);
    const namespace = props.target.namespace ?? Chart.of(this).namespace;
    PropError.check(namespace !== undefined, this, 'target.namespace', namespace, 'a namespace on the graph, the target or the chart',
      'the autoscaler must live in the graph\'s namespace and its queries filter on it');
    this.namespace = namespace!;
    this.name = props.name ?? props.target.adapterName;
    DynamoNames.checkLabel(this, 'name', this.name);
    PropError.check(props.metrics.length > 0, this, 'metrics', [], 'at least one ScalingMetric, e.g. ScalingMetric.kvCacheUsage(80)');
    this._metrics = props.metrics.map((m, i) => {
      const resolved = m._resolve(this, `metrics[${i}]`, props.target.backend);
      PropError.check(resolved.source !== 'engine' || props.target._mayBeWorker,
        this, `metrics[${i}]`, m.label, 'frontend or CPU metrics for a non-worker component', 'engine metrics exist only on worker pods');
      return resolved;
    });
    const names = this._metrics.map(m => m.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    PropError.check(duplicate === undefined, this, 'metrics', duplicate, 'each metric at most once');
    if (props.scaleDownStabilization !== undefined) {
      const seconds = props.scaleDownStabilization.toSeconds({ integral: false });
      PropError.check(Number.isInteger(seconds) && seconds >= 0 && seconds <= 3600, this, 'scaleDownStabilization',
        props.scaleDownStabilization.toHumanString(), 'a whole number of seconds up to one hour');
      this._scaleDownSeconds = seconds;
    }
    // Last, so an autoscaler refused above never claims the pool.
    props.target._attach(this);
    this.node.addValidation({ validate: () => this.validateTarget() });
  }

  /**
   * The series labels that select this pool's (or, for graph-wide metrics, its graph's) series.
   * @internal
   */
  protected _selectorLabels(metric: ResolvedMetric): { [key: string]: string } {
    return {
      [DynamoMonitoring.GRAPH_LABEL]: this.target.graphName,
      ...(metric.source === 'engine' ? { [DynamoMonitoring.COMPONENT_LABEL]: this.target.componentName } : {}),
    };
  }

  /**
   * The PromQL of a metric for this pool, namespace included.
   * @internal
   */
  protected _query(metric: ResolvedMetric): string | undefined {
    const labels = { namespace: this.namespace, ...this._selectorLabels(metric) };
    return metric.expr?.(Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(','));
  }

  /** Another driver of the same component: the Planner or an autoscaler of this app, however the target was given. */
  private validateTarget(): string[] {
    const conflicts = this.target._validate(this);
    if (conflicts.length > 0) return conflicts;
    const first = this.node.root.node.findAll().find((c): c is PoolAutoscaler => c instanceof PoolAutoscaler
      && c.namespace === this.namespace && c.target.adapterName === this.target.adapterName);
    if (first === undefined || first === this) return [];
    return [PropError.invalid(this, 'target', this.target.adapterName, 'a scaling adapter no other autoscaler scales',
      `${first.constructor.name} '${first.node.path}' already scales it; two autoscalers would fight over its replicas`).message];
  }

  /** @internal */
  protected get _scaleTargetRef(): { apiVersion: string; kind: string; name: string } {
    return { apiVersion: 'nvidia.com/v1beta1', kind: 'DynamoGraphDeploymentScalingAdapter', name: this.target.adapterName };
  }
}
