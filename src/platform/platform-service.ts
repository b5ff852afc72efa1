import { Size } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { PlatformWorkload, ResourceDefaults } from './platform-workload';
import { PropError } from '../common/errors';
import { SecureDefaults } from '../common/security';

/**
 * Settings of a service the platform can bundle (`Nats`, `Etcd`).
 */
export interface PlatformServiceOptions {
  /**
   * Container image, pinned to a tag or a digest.
   * @default - the image Dynamo's platform chart pins: `docker.io/library/nats:2.10.21-alpine` for `Nats`,
   * `docker.io/bitnamilegacy/etcd:3.5.18-debian-12-r5` for `Etcd` (its entrypoint reads the `ETCD_*` environment)
   */
  readonly image?: string;

  /**
   * Size of the data volume; NATS JetStream may fill all of it.
   * @default - Size.gibibytes(10) for `Nats`, Size.gibibytes(1) for `Etcd` (the chart's)
   */
  readonly storageSize?: Size;

  /**
   * StorageClass of the data volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * Requests and limits of the container; unset fields keep their defaults, ephemeral storage is unset unless given.
   * cdk8s-plus `ContainerResources` rather than the graph's `ComponentResources`: platform pods keep the upstream
   * chart's separate requests and limits (CPU limits included, which quota'd platform namespaces require), where graph
   * components request CPU without a limit and limit memory at its request.
   * @default - `Nats`: requests 200m CPU / 256Mi, limits 1 CPU / 1024Mi; `Etcd`: requests 250m CPU / 512Mi, limits 1 CPU / 2048Mi
   */
  readonly resources?: ContainerResources;
}

/**
 * Properties of a bundled service used on its own.
 */
export interface PlatformServiceProps extends PlatformServiceOptions {
  /**
   * Namespace of the service.
   * @default 'dynamo-system'
   */
  readonly namespace?: string;

  /**
   * Name of the StatefulSet and client Service (the headless Service appends `-headless`).
   * @default - 'dynamo-platform-nats' for `Nats`, 'dynamo-platform-etcd' for `Etcd`
   */
  readonly name?: string;
}

/**
 * What one bundled service defaults to.
 * @internal
 */
export interface PlatformServiceDefaults {
  /** `app.kubernetes.io/name` and `app.kubernetes.io/component`. */
  readonly app: string;
  readonly name: string;
  readonly image: string;
  readonly storageSize: Size;
  readonly resources: ResourceDefaults;
  /** UID the image runs as; also the fsGroup that owns the data volume. */
  readonly uid: number;
}

/**
 * The pod-specific part of a bundled service: its container (without image, pull policy, resources and security
 * context, which are added here), the Service ports and the volumes besides the data volume.
 * @internal
 */
export interface PlatformServicePod {
  readonly container: k8s.Container;
  readonly clientPorts: k8s.ServicePort[];
  readonly headlessPorts: k8s.ServicePort[];
  /** Name of the data volume claim template. */
  readonly dataVolume: string;
  readonly volumes?: k8s.Volume[];
  readonly annotations?: { [key: string]: string };
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * A single-replica StatefulSet behind a client and a headless Service, with a data volume: what NATS and etcd share.
 * Validates the props against the construct that owns it and renders into that construct.
 * @internal
 */
export class PlatformService {
  public readonly name: string;
  public readonly namespace: string;
  public readonly headlessName: string;
  public readonly storageSize: Size;
  /** Labels in every selector. */
  public readonly selector: { [key: string]: string };

  constructor(private readonly scope: Construct, private readonly props: PlatformServiceProps, private readonly defaults: PlatformServiceDefaults) {
    this.name = props.name ?? defaults.name;
    this.namespace = props.namespace ?? 'dynamo-system';
    this.headlessName = `${this.name}-headless`;
    this.storageSize = props.storageSize ?? defaults.storageSize;
    PlatformWorkload.checkDnsLabel(scope, 'name', props.name);
    PlatformWorkload.checkDnsLabel(scope, 'namespace', props.namespace);
    PlatformWorkload.checkImage(scope, 'image', props.image);
    PlatformWorkload.checkSize(scope, 'storageSize', props.storageSize, Size.gibibytes(1));
    PlatformWorkload.checkResources(scope, 'resources', props.resources, defaults.resources);
    PropError.check(this.name.length <= 54, scope, 'name', this.name, 'at most 54 characters', 'the headless Service appends \'-headless\'');
    this.selector = {
      'app.kubernetes.io/name': defaults.app,
      'app.kubernetes.io/instance': this.name,
      'app.kubernetes.io/component': defaults.app,
    };
  }

  /** Metadata of one of the service's objects. */
  public metadata(name: string): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: { ...this.selector, 'app.kubernetes.io/managed-by': 'cdk8s-dynamo' } };
  }

  /** `<name>.<namespace>.svc.cluster.local`. */
  public get host(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The client and headless Services and the StatefulSet. */
  public render(pod: PlatformServicePod): void {
    new k8s.KubeService(this.scope, 'Service', {
      metadata: this.metadata(this.name),
      spec: { selector: this.selector, ports: pod.clientPorts },
    });
    new k8s.KubeService(this.scope, 'Headless', {
      metadata: this.metadata(this.headlessName),
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: this.selector, ports: pod.headlessPorts },
    });
    const uid = this.defaults.uid;
    new k8s.KubeStatefulSet(this.scope, 'Resource', {
      metadata: this.metadata(this.name),
      spec: {
        replicas: 1,
        serviceName: this.headlessName,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: this.selector },
        template: {
          metadata: { labels: this.selector, ...(pod.annotations ? { annotations: pod.annotations } : {}) },
          spec: {
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            ...(pod.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds } : {}),
            securityContext: SecureDefaults.podSecurityContext({ nonRoot: true, fsGroup: uid }),
            containers: [{
              ...pod.container,
              image: this.props.image ?? this.defaults.image,
              imagePullPolicy: 'IfNotPresent',
              resources: PlatformWorkload.resources(this.props.resources, this.defaults.resources),
              securityContext: SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true, runAsUser: uid }),
            }],
            ...(pod.volumes ? { volumes: pod.volumes } : {}),
          },
        },
        volumeClaimTemplates: [PlatformWorkload.volumeClaim(pod.dataVolume, this.storageSize, this.props.storageClassName)],
      },
    });
  }
}

/**
 * What `Nats` and `Etcd` share: their name and namespace, resolved and validated by the `PlatformService` they render.
 * @internal
 */
export abstract class BundledService extends Construct {
  /** Name of the StatefulSet and client Service. */
  public readonly name: string;
  /** Namespace of the service. */
  public readonly namespace: string;
  /** @internal */
  protected readonly _service: PlatformService;

  protected constructor(scope: Construct, id: string, props: PlatformServiceProps, defaults: PlatformServiceDefaults) {
    super(scope, id);
    this._service = new PlatformService(this, props, defaults);
    this.name = this._service.name;
    this.namespace = this._service.namespace;
  }
}

/**
 * The choice behind `NatsConnection` and `EtcdConnection`: install the service next to the operator, or use an
 * external address that must match `pattern`.
 * @internal
 */
export class ServiceConnection {
  public static install(options: PlatformServiceOptions, install: (scope: Construct, props: PlatformServiceProps) => string): ServiceConnection {
    return new ServiceConnection({ options, install });
  }

  public static external(address: string, pattern: RegExp, allowed: string): ServiceConnection {
    return new ServiceConnection(undefined, { address, pattern, allowed });
  }

  private constructor(
    private readonly installed?: { options: PlatformServiceOptions; install: (scope: Construct, props: PlatformServiceProps) => string },
    private readonly external?: { address: string; pattern: RegExp; allowed: string },
  ) {}

  /** Installs the service into `scope` (named `name`) or checks the external address (each comma-separated part); returns the address. */
  public connect(scope: Construct, prop: string, namespace: string, name: string): string {
    if (this.installed) return this.installed.install(scope, { ...this.installed.options, namespace, name });
    const { address, pattern, allowed } = this.external!;
    PropError.check(address.split(',').every((part) => pattern.test(part)), scope, prop, address, allowed);
    return address;
  }
}
