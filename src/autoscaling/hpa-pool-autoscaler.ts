import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { PoolAutoscaler, PoolAutoscalerProps } from './pool-autoscaler';
import { ResolvedMetric } from './scaling-metric';

/**
 * Props of `HpaPoolAutoscaler`.
 */
export interface HpaPoolAutoscalerProps extends PoolAutoscalerProps {}

/**
 * A HorizontalPodAutoscaler (`autoscaling/v2`) for one pool of a Dynamo graph, scaling its
 * DynamoGraphDeploymentScalingAdapter.
 *
 * Prometheus metrics reach the HPA as external metrics, so the cluster needs a metrics adapter
 * (prometheus-adapter) serving them: `prometheusAdapterRules()` returns the `externalRules` it needs.
 * `ScalingMetric.cpuUtilization()` needs only metrics-server. Without an adapter, prefer `KedaPoolAutoscaler`.
 */
export class HpaPoolAutoscaler extends PoolAutoscaler {
  /** A Kubernetes quantity for a positive number: whole, or in milli/micro/nano units. */
  private static quantity(value: number): string {
    for (const [suffix, factor] of [['', 1], ['m', 1e3], ['u', 1e6]] as const) {
      const scaled = value * factor;
      if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * factor) return `${Math.round(scaled)}${suffix}`;
    }
    return `${Math.max(1, Math.round(value * 1e9))}n`;
  }

  /** The HorizontalPodAutoscaler. */
  public readonly apiObject: k8s.KubeHorizontalPodAutoscalerV2;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props the pool, replica bounds and metrics
   */
  constructor(scope: Construct, id: string, props: HpaPoolAutoscalerProps) {
    super(scope, id, props);
    this.apiObject = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        scaleTargetRef: this._scaleTargetRef,
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: this._metrics.map(m => this.metricSpec(m)),
        behavior: this._scaleDownSeconds === undefined ? undefined : { scaleDown: { stabilizationWindowSeconds: this._scaleDownSeconds } },
      },
    });
  }

  /**
   * The prometheus-adapter `externalRules` (YAML) that serve this autoscaler's Prometheus metrics to the HPA.
   * Merge them into the adapter's configuration; rules are generic over graphs, so one copy serves every pool.
   * Custom metrics are left out: you serve those yourself.
   */
  public prometheusAdapterRules(): string {
    const rules = this._metrics.filter(m => m.series !== undefined && m.expr !== undefined).map(m => ({
      seriesQuery: `{__name__="${m.series}",${Object.keys(this._selectorLabels(m)).map(l => `${l}!=""`).join(',')}}`,
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      name: { matches: '^.*$', as: m.name },
      metricsQuery: m.expr!('<<.LabelMatchers>>'),
    }));
    return stringify({ externalRules: rules }, { lineWidth: 0 });
  }

  private metricSpec(m: ResolvedMetric): k8s.MetricSpecV2 {
    if (m.source === 'cpu') {
      return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: m.target } } };
    }
    const quantity = k8s.Quantity.fromString(HpaPoolAutoscaler.quantity(m.target));
    return {
      type: 'External',
      external: {
        metric: { name: m.name, selector: m.source === 'custom' ? undefined : { matchLabels: this._selectorLabels(m) } },
        target: m.perReplica ? { type: 'AverageValue', averageValue: quantity } : { type: 'Value', value: quantity },
      },
    };
  }

}
