import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { ContainerResources, ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { CrdSource } from './crds';
import { DynamoVersions } from './dynamo-versions';
import { EtcdConnection } from './etcd';
import { NatsConnection } from './nats';
import { WebhookCertificates } from './operator-certificates';
import { MANAGER_RESOURCES, METRICS_PORT_NAME, OperatorDeployment } from './operator-deployment';
import { OperatorRbac } from './operator-rbac';
import { OperatorScope } from './operator-scope';
import { OperatorSettings } from './operator-settings';
import { OperatorWebhooks } from './operator-webhooks';
import { PlatformNames } from './platform-names';
import { PlatformWorkload } from './platform-workload';
import { SyncWave } from './sync-waves';
import { PropError } from '../common/errors';

/** Kinds the platform renders that have no namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
]);

/** Dynamo kinds whose objects make the operator run pods (engines, planners, profiling jobs) in their namespace. */
const POD_RUNNING_KINDS = new Set(['DynamoGraphDeployment', 'DynamoGraphDeploymentRequest', 'DynamoComponentDeployment']);

/**
 * How Dynamo components find each other.
 */
export enum DiscoveryBackend {
  /** EndpointSlices and DynamoWorkerMetadata objects (the default; no extra infrastructure). */
  KUBERNETES = 'kubernetes',
  /** etcd; requires the `etcd` prop. */
  ETCD = 'etcd',
}

/**
 * Pod Security Standard enforced on the platform namespace.
 */
export enum PodSecurityLevel {
  /** Hardened pods only (operator, NATS and etcd comply). */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations but lets containers run as root, as most engine images do. */
  BASELINE = 'baseline',
  /** No restrictions. */
  PRIVILEGED = 'privileged',
}

/**
 * Properties of a `DynamoPlatform`.
 */
export interface DynamoPlatformProps {
  /**
   * Namespace of the operator (the Helm release namespace upstream).
   * @default 'dynamo-system'
   */
  readonly namespace?: string;

  /**
   * Whether to render the Namespace object, with Pod Security Standard labels.
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Pod Security Standard the created Namespace enforces (it always audits and warns at `restricted`).
   * @default - RESTRICTED when cluster-wide; BASELINE when namespace-restricted, because graphs then share the namespace
   */
  readonly podSecurityLevel?: PodSecurityLevel;

  /**
   * Helm release name the object names derive from, so upstream docs apply: the operator Deployment is
   * `<release>-dynamo-operator-controller-manager`.
   * @default 'dynamo-platform'
   */
  readonly releaseName?: string;

  /**
   * Operator version (semver): image tag, `--operator-version`, and version of the CRDs `crd-apply` installs. The
   * RBAC, configuration and webhooks stay those of `DynamoVersions.OPERATOR`: check the upstream chart before you
   * change it, and keep it at least as new as the runtime images of your graphs.
   * @default - DynamoVersions.OPERATOR ('1.4.0', the release these manifests describe)
   */
  readonly version?: string;

  /**
   * Registry of the operator image.
   * @default 'nvcr.io/nvidia/ai-dynamo'
   */
  readonly registry?: string;

  /**
   * Full operator image reference, e.g. a mirror pinned by digest; overrides `registry` and the version tag.
   * @default - `<registry>/kubernetes-operator:<version>`
   */
  readonly image?: string;

  /**
   * Pull policy of the operator image; also what the operator uses for the images it runs itself.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Names of Secrets in the platform namespace used to pull the operator image.
   * @default - none
   */
  readonly imagePullSecrets?: string[];

  /**
   * Which namespaces the operator manages.
   * @default OperatorScope.clusterWide()
   */
  readonly operatorScope?: OperatorScope;

  /**
   * Where the Dynamo CRDs come from.
   * @default - CrdSource.fromOperatorImage() when cluster-wide, CrdSource.preinstalled() when namespace-restricted
   */
  readonly crds?: CrdSource;

  /**
   * How the webhook server certificate is provisioned.
   * @default WebhookCertificates.auto()
   */
  readonly certificates?: WebhookCertificates;

  /**
   * Namespace of the operator's leader-election Lease when cluster-wide (a restricted operator uses its watched
   * namespace). Change it where `kube-system` is closed to workloads, such as GKE Autopilot.
   * @default 'kube-system'
   */
  readonly leaderElectionNamespace?: string;

  /**
   * NATS for the components (`NATS_SERVER`); Dynamo 1.4.0 needs it only for the NATS event plane.
   * @default - no NATS
   */
  readonly nats?: NatsConnection;

  /**
   * etcd for the components (`ETCD_ENDPOINTS`); needed only with `DiscoveryBackend.ETCD`.
   * @default - no etcd
   */
  readonly etcd?: EtcdConnection;

  /**
   * How components discover each other.
   * @default DiscoveryBackend.KUBERNETES
   */
  readonly discoveryBackend?: DiscoveryBackend;

  /**
   * Prometheus URL the operator hands to components (`PROMETHEUS_ENDPOINT`), e.g. for the planner.
   * @default - none
   */
  readonly prometheusEndpoint?: string;

  /**
   * Use Grove for multinode graphs (requires Grove installed).
   * @default false
   */
  readonly grove?: boolean;

  /**
   * Schedule with the KAI scheduler (requires it installed).
   * @default false
   */
  readonly kaiScheduler?: boolean;

  /**
   * Gang-schedule LeaderWorkerSets with Volcano (requires it installed).
   * @default false
   */
  readonly volcanoScheduler?: boolean;

  /**
   * Requests and limits of the manager container; unset fields keep their defaults, ephemeral storage is unset unless
   * given. cdk8s-plus `ContainerResources` like `PlatformServiceOptions.resources`, not the graph's
   * `ComponentResources`: the operator keeps the upstream chart's separate requests and limits.
   * @default - requests 512m CPU / 1Gi, limits 1024m CPU / 2Gi (the upstream chart's)
   */
  readonly resources?: ContainerResources;
}

/**
 * The NVIDIA Dynamo platform (operator) as plain manifests: what the upstream `dynamo-platform` Helm chart installs,
 * without Helm, ordered for a single GitOps sync.
 *
 * Renders the Namespace, the operator Deployment (manager plus the `crd-apply` init container that installs the CRDs
 * shipped in the image), its configuration, ServiceAccounts and RBAC (no wildcards), the webhook and metrics Services,
 * the validating and mutating webhook configurations, the ClusterRoles the operator binds for the planner, the endpoint
 * picker and profiling jobs, and optionally NATS, etcd and vendored CRDs. Every object carries its ArgoCD sync wave.
 */
export class DynamoPlatform extends Construct {
  private static isDynamoWorkload(c: IConstruct): c is ApiObject {
    return ApiObject.isApiObject(c) && c.apiGroup === 'nvidia.com';
  }

  /** A Go duration string, or undefined when it equals the operator default. */
  private static goDurationIfNot(d: Duration | undefined, defaultSeconds: number): string | undefined {
    if (d === undefined) return undefined;
    const ms = d.toMilliseconds();
    if (ms === defaultSeconds * 1000) return undefined;
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  }

  /** Namespace of the operator. */
  public readonly namespace: string;
  /** Operator version. */
  public readonly version: string;
  /** Operator image. */
  public readonly image: string;
  /** Whether the operator watches only `targetNamespace`. */
  public readonly namespaceRestricted: boolean;
  /** The namespace graphs must use when namespace-restricted; the platform namespace otherwise. */
  public readonly targetNamespace: string;
  /** NATS URL handed to the components, if any. */
  public readonly natsAddress?: string;
  /** etcd endpoints handed to the components, if any. */
  public readonly etcdEndpoints?: string;

  private readonly names: PlatformNames;
  /** The Pod Security Standard the rendered Namespace enforces; undefined when the Namespace is not rendered. */
  private readonly enforcedPodSecurity?: PodSecurityLevel;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props operator version, scope, certificates and optional services
   */
  constructor(scope: Construct, id: string, props: DynamoPlatformProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'dynamo-system';
    this.version = props.version ?? DynamoVersions.OPERATOR;
    const release = props.releaseName ?? 'dynamo-platform';
    const operatorScope = props.operatorScope ?? OperatorScope.clusterWide();
    const restriction = operatorScope._restriction;
    this.namespaceRestricted = operatorScope.restricted;
    this.targetNamespace = restriction?.targetNamespace ?? this.namespace;
    const crds = props.crds ?? (this.namespaceRestricted ? CrdSource.preinstalled() : CrdSource.fromOperatorImage());
    const certificates = props.certificates ?? WebhookCertificates.auto();
    const discoveryBackend = props.discoveryBackend ?? DiscoveryBackend.KUBERNETES;
    this.image = props.image ?? `${props.registry ?? 'nvcr.io/nvidia/ai-dynamo'}/kubernetes-operator:${this.version}`;

    this.checkProps(props, release, crds, discoveryBackend);
    this.names = new PlatformNames(release, this.namespace, this.version);

    if (props.createNamespace ?? true) {
      this.enforcedPodSecurity = props.podSecurityLevel ?? (this.namespaceRestricted ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED);
      this.renderNamespace(this.enforcedPodSecurity);
    }
    crds._include(this, 'crds', { name: this.names.webhookService, namespace: this.namespace });
    this.natsAddress = props.nats?._connect(this, 'nats', this.namespace, PlatformNames.fullname(release, 'nats'));
    this.etcdEndpoints = props.etcd?._connect(this, 'etcd', this.namespace, PlatformNames.fullname(release, 'etcd'));

    const settings: OperatorSettings = {
      names: this.names,
      clusterWide: !this.namespaceRestricted,
      targetNamespace: this.targetNamespace,
      certificates,
      image: this.image,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      imagePullSecrets: props.imagePullSecrets ?? [],
      crdApply: crds.installedByOperator,
      resources: props.resources,
      leaderElectionNamespace: this.namespaceRestricted ? this.targetNamespace : props.leaderElectionNamespace ?? 'kube-system',
      natsAddress: this.natsAddress,
      etcdEndpoints: this.etcdEndpoints,
      discoveryBackend,
      prometheusEndpoint: props.prometheusEndpoint,
      grove: props.grove ?? false,
      kaiScheduler: props.kaiScheduler ?? false,
      volcanoScheduler: props.volcanoScheduler ?? false,
      leaseDuration: DynamoPlatform.goDurationIfNot(restriction?.leaseDuration, 30),
      leaseRenewInterval: DynamoPlatform.goDurationIfNot(restriction?.leaseRenewInterval, 10),
    };
    new OperatorRbac(this, 'Rbac', settings);
    new OperatorWebhooks(this, 'Webhooks', settings);
    new OperatorDeployment(this, 'Operator', settings);
    SyncWave._annotatePlatform(this);
    this.dropChartNamespaceFromClusterScoped();

    this.node.addValidation({ validate: () => this.crossChecks() });
  }

  /** Name of the operator Deployment. */
  public get operatorDeploymentName(): string {
    return this.names.of('controller-manager');
  }

  /** Name of the Service behind the admission and conversion webhooks. */
  public get webhookServiceName(): string {
    return this.names.webhookService;
  }

  /** Name of the operator's metrics Service (HTTPS, port `metrics`). */
  public get metricsServiceName(): string {
    return this.names.fullname;
  }

  /** Labels that select the operator's metrics Service (and not its webhook Service), e.g. for a ServiceMonitor. */
  public get metricsServiceSelector(): { [key: string]: string } {
    return { ...this.names.selectorLabels, 'app.kubernetes.io/component': 'metrics' };
  }

  /** Name of the HTTPS port on the metrics Service (`DynamoMonitoring` scrapes it when given this platform). */
  public get metricsServicePort(): string {
    return METRICS_PORT_NAME;
  }

  /**
   * ClusterRole the operator binds to `planner-serviceaccount` in each graph namespace (cluster-wide mode); a
   * restricted install ships Role `planner-role` instead.
   */
  public get plannerRoleName(): string {
    return this.namespaceRestricted ? 'planner-role' : this.names.of('planner');
  }

  private checkProps(props: DynamoPlatformProps, release: string, crds: CrdSource, discoveryBackend: DiscoveryBackend): void {
    PlatformWorkload.checkDnsLabel(this, 'namespace', props.namespace);
    PlatformWorkload.checkDnsLabel(this, 'releaseName', props.releaseName);
    PlatformWorkload.checkDnsLabel(this, 'leaderElectionNamespace', props.leaderElectionNamespace);
    PlatformWorkload.checkDnsLabel(this, 'operatorScope.targetNamespace', props.operatorScope?._restriction?.targetNamespace);
    const fullname = PlatformNames.fullname(release, 'dynamo-operator');
    PropError.check(fullname.length <= 47, this, 'releaseName', release,
      'at most 31 characters, or 47 if it contains \'dynamo-operator\'',
      `Service '${fullname}-webhook-service' would exceed 63 characters`);
    PropError.check(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(this.version), this, 'version', this.version,
      'a semantic version such as \'1.4.0\'', 'the operator refuses a non-semver --operator-version');
    PlatformWorkload.checkImage(this, 'image', props.image);
    PropError.check(props.registry === undefined || /^[^\s:@]+(:\d+)?(\/[^\s:@]+)*$/.test(props.registry), this, 'registry', props.registry,
      'a registry host with optional path, e.g. \'registry.example.com/ai-dynamo\'');
    for (const secret of props.imagePullSecrets ?? []) {
      PropError.check(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(secret), this, 'imagePullSecrets', secret, 'Secret names (DNS-1123 subdomains)');
    }
    PlatformWorkload.checkResources(this, 'resources', props.resources, MANAGER_RESOURCES);

    if (this.namespaceRestricted) {
      PropError.check(!crds.installedByOperator, this, 'crds', 'CrdSource.fromOperatorImage()', 'CrdSource.preinstalled()',
        'a namespace-restricted operator cannot install CRDs; install them with a cluster-wide operator');
      PropError.check(!crds.vendored, this, 'crds', 'a vendored CrdSource', 'CrdSource.preinstalled()',
        'a namespace-restricted operator does not serve CRD conversion; vendor the CRDs with the cluster-wide operator');
      PropError.check(props.leaderElectionNamespace === undefined, this, 'leaderElectionNamespace', props.leaderElectionNamespace,
        'unset when namespace-restricted', 'a restricted operator elects its leader in the namespace it watches');
      const r = props.operatorScope!._restriction!;
      const duration = r.leaseDuration?.toMilliseconds() ?? 30_000;
      const renew = r.leaseRenewInterval?.toMilliseconds() ?? 10_000;
      PropError.check(renew > 0 && renew < duration, this, 'operatorScope.leaseRenewInterval', `${renew}ms`,
        `more than 0 and less than leaseDuration (${duration}ms)`);
    }
    PropError.check(discoveryBackend !== DiscoveryBackend.ETCD || props.etcd !== undefined, this, 'discoveryBackend', discoveryBackend,
      `'${DiscoveryBackend.KUBERNETES}', or '${DiscoveryBackend.ETCD}' together with the 'etcd' prop`);
    PlatformWorkload.checkHttpUrl(this, 'prometheusEndpoint', props.prometheusEndpoint, 'http://prometheus-operated.monitoring.svc:9090');
  }

  /** A chart-level namespace would otherwise land on cluster-scoped objects too, which some tools reject. */
  private dropChartNamespaceFromClusterScoped(): void {
    for (const obj of this.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))) {
      if (CLUSTER_SCOPED.has(obj.kind) && obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }

  private renderNamespace(enforce: PodSecurityLevel): void {
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': enforce,
          'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
          'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
        },
      },
    });
  }

  /** Checks against the rest of the app: one cluster-wide operator; graphs where a restricted operator watches. */
  private crossChecks(): string[] {
    const all = this.node.root.node.findAll();
    const errors: string[] = [];
    // cdk8s prefixes validation messages with the construct path already.
    const report = (e: Error) => errors.push(e.message.replace(/^\[[^\]]*\] /, ''));
    const clusterWide = all.filter((c): c is DynamoPlatform => c instanceof DynamoPlatform && !c.namespaceRestricted);
    if (!this.namespaceRestricted && clusterWide.length > 1 && clusterWide[0] === this) {
      report(PropError.invalid(this, 'operatorScope', 'OperatorScope.clusterWide()', 'one cluster-wide DynamoPlatform per cluster',
        `${clusterWide.map((p) => p.node.path).join(', ')} are all cluster-wide`));
    }
    if (this.enforcedPodSecurity === PodSecurityLevel.RESTRICTED) {
      // Admission would refuse the pods long after the sync looks green; say so at synth instead.
      for (const obj of all.filter(DynamoPlatform.isDynamoWorkload).filter(o => POD_RUNNING_KINDS.has(o.kind))) {
        const ns = obj.metadata.namespace ?? obj.chart.namespace ?? 'default';
        if (ns !== this.namespace) continue;
        report(PropError.invalid(this, 'podSecurityLevel', PodSecurityLevel.RESTRICTED,
          `PodSecurityLevel.BASELINE, or ${obj.kind} objects in a namespace of their own`,
          `${obj.kind} '${obj.name}' (${obj.node.path}) runs its pods in '${ns}', whose restricted Pod Security Standard rejects the `
          + 'Dynamo runtime and planner images (they run as root)'));
      }
    }
    if (this.namespaceRestricted) {
      for (const obj of all.filter(DynamoPlatform.isDynamoWorkload)) {
        const ns = obj.metadata.namespace ?? obj.chart.namespace ?? 'default';
        if (ns !== this.targetNamespace) {
          report(PropError.invalid(this, 'operatorScope', `namespaceRestricted('${this.targetNamespace}')`,
            `${obj.kind} objects in namespace '${this.targetNamespace}' only`,
            `${obj.kind} '${obj.name}' (${obj.node.path}) is in namespace '${ns}', which this operator does not watch`));
        }
      }
    }
    return errors;
  }
}
