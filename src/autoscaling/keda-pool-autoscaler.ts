import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PoolAutoscaler, PoolAutoscalerProps } from './pool-autoscaler';
import { ResolvedMetric } from './scaling-metric';
import { PropError } from '../common/errors';
import { DynamoNames } from '../graph/names';
import { DynamoMonitoring } from '../platform/monitoring';
import { PlatformWorkload } from '../platform/platform-workload';

/**
 * Props of `KedaPoolAutoscaler`.
 */
export interface KedaPoolAutoscalerProps extends PoolAutoscalerProps {
  /**
   * Prometheus the KEDA Prometheus scaler queries.
   * @default DynamoMonitoring.DEFAULT_PROMETHEUS_URL
   */
  readonly prometheusUrl?: string;
  /**
   * A KEDA `TriggerAuthentication` (same namespace) with the credentials Prometheus needs.
   * @default - unauthenticated
   */
  readonly authenticationRef?: string;
  /**
   * How often KEDA evaluates the triggers.
   * @default - KEDA's default (30 seconds)
   */
  readonly pollingInterval?: Duration;
}

/**
 * A KEDA ScaledObject (`keda.sh/v1alpha1`) for one pool of a Dynamo graph, scaling its
 * DynamoGraphDeploymentScalingAdapter with the Prometheus scaler (and the CPU scaler for
 * `ScalingMetric.cpuUtilization()`). Needs KEDA installed; no metrics adapter.
 */
export class KedaPoolAutoscaler extends PoolAutoscaler {
  /** The ScaledObject. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props the pool, replica bounds, metrics and Prometheus
   */
  constructor(scope: Construct, id: string, props: KedaPoolAutoscalerProps) {
    super(scope, id, props);
    const url = props.prometheusUrl ?? DynamoMonitoring.DEFAULT_PROMETHEUS_URL;
    PlatformWorkload.checkHttpUrl(this, 'prometheusUrl', url, 'http://prometheus.monitoring.svc:9090');
    if (props.authenticationRef !== undefined) DynamoNames.checkSubdomain(this, 'authenticationRef', props.authenticationRef);
    const polling = props.pollingInterval && PlatformWorkload.wholeSeconds(this, 'pollingInterval', props.pollingInterval);
    const triggers = this._metrics.map((m, i) => this.trigger(m, i, url, props.authenticationRef));

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        scaleTargetRef: this._scaleTargetRef,
        minReplicaCount: this.minReplicas,
        maxReplicaCount: this.maxReplicas,
        pollingInterval: polling,
        advanced: this._scaleDownSeconds === undefined ? undefined : {
          horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: this._scaleDownSeconds } } },
        },
        triggers,
      },
    });
  }

  private trigger(m: ResolvedMetric, index: number, serverAddress: string, authenticationRef: string | undefined): unknown {
    if (m.source === 'cpu') {
      return { type: 'cpu', metricType: 'Utilization', metadata: { value: String(m.target) } };
    }
    const query = this._query(m);
    PropError.check(query !== undefined, this, `metrics[${index}].query`, undefined, 'a PromQL query',
      'KEDA runs the query itself; only an HPA can use an adapter-served custom metric');
    return {
      type: 'prometheus',
      name: m.name,
      metricType: m.perReplica ? 'AverageValue' : 'Value',
      metadata: { serverAddress, query, threshold: String(m.target) },
      ...(authenticationRef ? { authenticationRef: { name: authenticationRef } } : {}),
    };
  }
}
