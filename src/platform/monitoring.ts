import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { DynamoPlatform } from './dynamo-platform';
import { PlatformWorkload } from './platform-workload';
import { PropError } from '../common/errors';
import { ComponentType, WORKER_COMPONENT_TYPES } from '../graph/component-type';
import { GraphLabels } from '../graph/graph-labels';
import { DynamoNames } from '../graph/names';

/**
 * A ServiceAccount, by name and namespace.
 */
export interface ServiceAccountReference {
  /** Name of the ServiceAccount. */
  readonly name: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
}

/**
 * Which Dynamo operator to scrape, for its ServiceMonitor: a `DynamoPlatform` of this app, or an operator installed
 * some other way (e.g. with Helm), given by its namespace and metrics Service labels.
 */
export interface OperatorMonitoringOptions {
  /**
   * The platform whose operator is scraped; its namespace and metrics Service labels and port are used.
   * @default - the operator given by `namespace` and `serviceSelector`
   */
  readonly platform?: DynamoPlatform;
  /**
   * Namespace the operator runs in (only without `platform`).
   * @default - the platform's namespace
   */
  readonly namespace?: string;
  /**
   * Labels of the operator's metrics Service, not of its webhook Service (only without `platform`). For the Helm
   * chart: `app.kubernetes.io/name: dynamo-operator`, `app.kubernetes.io/instance: <release>`,
   * `app.kubernetes.io/component: metrics`.
   * @default - the platform's `metricsServiceSelector`
   */
  readonly serviceSelector?: { [key: string]: string };
  /**
   * Name of the metrics port on that Service (only without `platform`).
   * @default 'metrics'
   */
  readonly port?: string;
  /**
   * Scrape interval.
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;
  /**
   * The operator serves metrics over HTTPS behind Kubernetes authorization: the scraping Prometheus needs
   * `get` on the non-resource URL `/metrics`. Give its ServiceAccount to render that ClusterRole and binding
   * (kube-prometheus-stack's Prometheus already has it).
   * @default - no RBAC is rendered
   */
  readonly grantPrometheus?: ServiceAccountReference;
}

/**
 * Props of `DynamoMonitoring`.
 */
export interface DynamoMonitoringProps {
  /**
   * Namespace of the monitors.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Namespaces whose Dynamo pods are scraped.
   * @default - the monitors' own namespace
   */
  readonly watchNamespaces?: string[];
  /**
   * Scrape Dynamo pods in every namespace (exclusive with `watchNamespaces`).
   * @default false
   */
  readonly allNamespaces?: boolean;
  /**
   * Scrape frontends (`http` port): request, TTFT, ITL and queue metrics.
   * @default true
   */
  readonly frontend?: boolean;
  /**
   * Scrape workers (`system` port): Dynamo component metrics and the engine's own (`vllm:*`, `sglang:*`, `trtllm_*`).
   * @default true
   */
  readonly workers?: boolean;
  /**
   * Scrape planners (`metrics` port): `dynamo_planner_*`.
   * @default true
   */
  readonly planner?: boolean;
  /**
   * Scrape interval of the pod monitors.
   * @default Duration.seconds(5)
   */
  readonly interval?: Duration;
  /**
   * Labels on the monitor objects, so the Prometheus instance selects them (kube-prometheus-stack only picks up
   * monitors labelled `release: <its release name>` unless configured otherwise).
   * @default - none
   */
  readonly monitorLabels?: { [key: string]: string };
  /**
   * Prefix of the monitor names.
   * @default 'dynamo-graphs'
   */
  readonly namePrefix?: string;
  /**
   * Also scrape the operator's own controller metrics.
   * @default - the operator is not scraped
   */
  readonly operator?: OperatorMonitoringOptions;
}

/** Which pods a pod monitor scrapes and how. */
interface PodMonitorSpec {
  readonly suffix: string;
  readonly componentTypes: string[];
  readonly port: string;
  readonly honorLabels: boolean;
  /** The frontend's own series carry `dynamo_namespace` only via the pod label. */
  readonly relabelDynamoNamespace: boolean;
}

const POD_MONITORS: { [key: string]: PodMonitorSpec } = {
  frontend: { suffix: 'frontend', componentTypes: [ComponentType.FRONTEND], port: 'http', honorLabels: true, relabelDynamoNamespace: true },
  workers: {
    suffix: 'worker',
    componentTypes: [...WORKER_COMPONENT_TYPES],
    port: 'system',
    honorLabels: false,
    relabelDynamoNamespace: false,
  },
  planner: { suffix: 'planner', componentTypes: [ComponentType.PLANNER], port: 'metrics', honorLabels: false, relabelDynamoNamespace: false },
};

/**
 * Prometheus Operator monitors (`monitoring.coreos.com/v1`) for Dynamo graphs: PodMonitors for frontends,
 * workers and planners (the pods the operator renders, matched by their `nvidia.com/dynamo-component-type`
 * label), and optionally a ServiceMonitor for the operator (`operator: { platform }`).
 *
 * Every scraped series is labelled with the graph (`dynamo_graph_deployment`) and the DGD component
 * (`dynamo_graph_component`) of its pod. `HpaPoolAutoscaler` and `KedaPoolAutoscaler` query on those labels,
 * so they count each pool exactly once even when other monitors scrape the same pods.
 */
export class DynamoMonitoring extends Construct {
  /** Series label holding the DynamoGraphDeployment name of the scraped pod. */
  public static readonly GRAPH_LABEL = 'dynamo_graph_deployment';
  /** Series label holding the DGD component name of the scraped pod. */
  public static readonly COMPONENT_LABEL = 'dynamo_graph_component';
  /** The kube-prometheus-stack Prometheus service, the usual in-cluster query endpoint. */
  public static readonly DEFAULT_PROMETHEUS_URL = 'http://prometheus-kube-prometheus-prometheus.monitoring.svc.cluster.local:9090';

  private static interval(scope: Construct, prop: string, d: Duration): string {
    return `${PlatformWorkload.wholeSeconds(scope, prop, d)}s`;
  }

  /** Copies the pod's graph and component labels onto every series it exports. */
  private static relabelings(withDynamoNamespace: boolean): unknown[] {
    const copy = (podLabel: string, target: string) => ({
      sourceLabels: [`__meta_kubernetes_pod_label_${podLabel.replace(/[^A-Za-z0-9]/g, '_')}`],
      targetLabel: target,
      action: 'replace',
    });
    return [
      copy(GraphLabels.GRAPH, DynamoMonitoring.GRAPH_LABEL),
      copy(GraphLabels.COMPONENT, DynamoMonitoring.COMPONENT_LABEL),
      copy(GraphLabels.COMPONENT_TYPE, 'dynamo_component_type'),
      ...(withDynamoNamespace ? [copy('nvidia.com/dynamo-namespace', 'dynamo_namespace')] : []),
    ];
  }

  /** The PodMonitors and ServiceMonitor (and RBAC) rendered. */
  public readonly apiObjects: ApiObject[] = [];

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props which pods to scrape, where, and how often
   */
  constructor(scope: Construct, id: string, props: DynamoMonitoringProps = {}) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'dynamo-graphs';
    DynamoNames.checkLabel(this, 'namePrefix', prefix);
    PropError.check(!(props.allNamespaces && props.watchNamespaces), this, 'watchNamespaces', props.watchNamespaces,
      'unset when allNamespaces is true');
    for (const ns of props.watchNamespaces ?? []) DynamoNames.checkLabel(this, 'watchNamespaces', ns);
    PropError.check(props.watchNamespaces === undefined || props.watchNamespaces.length > 0, this, 'watchNamespaces', props.watchNamespaces,
      'at least one namespace, or unset for the monitors\' own namespace');
    const interval = DynamoMonitoring.interval(this, 'interval', props.interval ?? Duration.seconds(5));
    const enabled = { frontend: props.frontend ?? true, workers: props.workers ?? true, planner: props.planner ?? true };
    PropError.check(enabled.frontend || enabled.workers || enabled.planner || props.operator !== undefined, this, 'frontend', false,
      'at least one of frontend, workers, planner or operator', 'nothing would be scraped');

    const namespaceSelector = props.allNamespaces
      ? { any: true }
      : props.watchNamespaces ? { matchNames: [...props.watchNamespaces] } : undefined;
    const metadata = (suffix: string) => ({ name: `${prefix}-${suffix}`, namespace: props.namespace, labels: props.monitorLabels });

    for (const [key, spec] of Object.entries(POD_MONITORS)) {
      if (!enabled[key as keyof typeof enabled]) continue;
      this.apiObjects.push(new ApiObject(this, spec.suffix, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: metadata(spec.suffix),
        spec: {
          selector: {
            matchExpressions: [
              { key: GraphLabels.COMPONENT_TYPE, operator: 'In', values: spec.componentTypes },
              { key: 'nvidia.com/metrics-enabled', operator: 'In', values: ['true'] },
            ],
          },
          ...(namespaceSelector ? { namespaceSelector } : {}),
          podMetricsEndpoints: [{
            port: spec.port,
            path: '/metrics',
            interval,
            honorLabels: spec.honorLabels,
            relabelings: DynamoMonitoring.relabelings(spec.relabelDynamoNamespace),
          }],
        },
      }));
    }
    if (props.operator) this.monitorOperator(props.operator, metadata('operator'));
  }

  /** Where the operator's metrics are: from its platform, or as given (exactly one of the two). */
  private operatorTarget(op: OperatorMonitoringOptions): { namespace: string; selector: { [key: string]: string }; port: string } {
    if (op.platform) {
      for (const [prop, value] of [['namespace', op.namespace], ['serviceSelector', op.serviceSelector], ['port', op.port]] as const) {
        PropError.check(value === undefined, this, `operator.${prop}`, value, 'unset when operator.platform is given',
          `the platform ${op.platform.node.path} defines it`);
      }
      return { namespace: op.platform.namespace, selector: op.platform.metricsServiceSelector, port: op.platform.metricsServicePort };
    }
    const example = '{\'app.kubernetes.io/name\': \'dynamo-operator\', \'app.kubernetes.io/instance\': \'dynamo-platform\', \'app.kubernetes.io/component\': \'metrics\'}';
    PropError.check(op.namespace !== undefined, this, 'operator.namespace', op.namespace,
      'the operator\'s namespace, or operator.platform', 'without a platform the operator is given by namespace and serviceSelector');
    DynamoNames.checkLabel(this, 'operator.namespace', op.namespace!);
    PropError.check(op.serviceSelector !== undefined && Object.keys(op.serviceSelector).length > 0, this, 'operator.serviceSelector',
      op.serviceSelector, `the labels of the operator metrics Service, e.g. ${example}, or operator.platform`);
    return { namespace: op.namespace!, selector: { ...op.serviceSelector }, port: op.port ?? 'metrics' };
  }

  private monitorOperator(op: OperatorMonitoringOptions, metadata: { name: string; namespace?: string; labels?: { [key: string]: string } }): void {
    const target = this.operatorTarget(op);
    this.apiObjects.push(new ApiObject(this, 'operator', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata,
      spec: {
        selector: { matchLabels: target.selector },
        namespaceSelector: { matchNames: [target.namespace] },
        endpoints: [{
          port: target.port,
          scheme: 'https',
          path: '/metrics',
          interval: DynamoMonitoring.interval(this, 'operator.interval', op.interval ?? Duration.seconds(15)),
          // controller-runtime authorizes the scrape with the caller's token; its certificate is self-signed.
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          tlsConfig: { insecureSkipVerify: true },
        }],
      },
    }));
    if (!op.grantPrometheus) return;
    DynamoNames.checkLabel(this, 'operator.grantPrometheus.namespace', op.grantPrometheus.namespace);
    const roleName = `${metadata.name}-metrics-reader`;
    const role = new k8s.KubeClusterRole(this, 'metrics-reader', {
      metadata: { name: roleName },
      rules: [{ nonResourceUrLs: ['/metrics'], verbs: ['get'] }],
    });
    const binding = new k8s.KubeClusterRoleBinding(this, 'metrics-reader-binding', {
      metadata: { name: roleName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: op.grantPrometheus.name, namespace: op.grantPrometheus.namespace }],
    });
    this.apiObjects.push(role, binding);
  }

}
