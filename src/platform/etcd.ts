import { Size } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformWorkload, ResourceDefaults } from './platform-workload';
import { PropError } from '../common/errors';
import { SecureDefaults } from '../common/security';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
const DATA_MOUNT = '/bitnami/etcd';
/** The Bitnami etcd image runs as UID 1001. */
const ETCD_UID = 1001;
const RESOURCE_DEFAULTS: ResourceDefaults = { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '2048Mi' };

/**
 * Settings of a bundled etcd.
 */
export interface EtcdOptions {
  /**
   * etcd image. The default image's entrypoint reads the `ETCD_*` environment this construct sets.
   * @default 'docker.io/bitnamilegacy/etcd:3.5.18-debian-12-r5' (the image Dynamo's platform chart pins)
   */
  readonly image?: string;

  /**
   * Size of the data volume.
   * @default Size.gibibytes(1)
   */
  readonly storageSize?: Size;

  /**
   * StorageClass of the data volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * Resources of the etcd container; unset fields keep their defaults.
   * @default - requests 250m CPU / 512Mi, limits 1 CPU / 2048Mi
   */
  readonly resources?: ContainerResources;
}

/**
 * Properties of an `Etcd` member.
 */
export interface EtcdProps extends EtcdOptions {
  /**
   * Namespace of etcd.
   * @default 'dynamo-system'
   */
  readonly namespace?: string;

  /**
   * Name of the StatefulSet and client Service (the headless Service adds `-headless`).
   * @default 'dynamo-platform-etcd'
   */
  readonly name?: string;
}

/**
 * A single-member etcd without authentication on a persistent volume, as the Dynamo platform chart installs it (only
 * needed for the etcd discovery backend): StatefulSet plus client and headless Services. Runs non-root with a
 * read-only root filesystem and health probes (the chart disables them).
 *
 * It is one member on purpose: growing a Bitnami etcd cluster needs install-versus-upgrade logic that static
 * manifests cannot express. Point the platform at an external etcd cluster when you need more.
 */
export class Etcd extends Construct {
  /** Name of the StatefulSet and client Service. */
  public readonly name: string;
  /** Namespace of etcd. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: EtcdProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'dynamo-platform-etcd';
    this.namespace = props.namespace ?? 'dynamo-system';
    PlatformWorkload.checkDnsLabel(this, 'name', props.name);
    PlatformWorkload.checkDnsLabel(this, 'namespace', props.namespace);
    PlatformWorkload.checkImage(this, 'image', props.image);
    PlatformWorkload.checkSize(this, 'storageSize', props.storageSize, Size.gibibytes(1));
    PlatformWorkload.checkResources(this, 'resources', props.resources, RESOURCE_DEFAULTS);
    PropError.check(this.name.length <= 54, this, 'name', this.name, 'at most 54 characters', 'the headless Service appends \'-headless\'');

    const labels = {
      'app.kubernetes.io/name': 'etcd',
      'app.kubernetes.io/instance': this.name,
      'app.kubernetes.io/component': 'etcd',
    };
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels: { ...labels, 'app.kubernetes.io/managed-by': 'cdk8s-dynamo' } });
    const headless = `${this.name}-headless`;
    const peerDomain = `${headless}.${this.namespace}.svc.cluster.local`;
    const ports = (...names: Array<'client' | 'peer'>): k8s.ServicePort[] => names.map((name) => ({
      name, port: name === 'client' ? CLIENT_PORT : PEER_PORT, targetPort: k8s.IntOrString.fromString(name),
    }));

    new k8s.KubeService(this, 'Service', {
      metadata: metadata(this.name),
      spec: { selector: labels, ports: ports('client') },
    });
    new k8s.KubeService(this, 'Headless', {
      metadata: metadata(headless),
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: labels, ports: ports('client', 'peer') },
    });

    const health = (query: string, periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: `/health${query}`, port: k8s.IntOrString.fromString('client') },
      timeoutSeconds: 5,
      periodSeconds,
      failureThreshold,
    });

    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: metadata(this.name),
      spec: {
        replicas: 1,
        serviceName: headless,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            securityContext: SecureDefaults.podSecurityContext({ nonRoot: true, fsGroup: ETCD_UID }),
            containers: [{
              name: 'etcd',
              image: props.image ?? 'docker.io/bitnamilegacy/etcd:3.5.18-debian-12-r5',
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'ETCDCTL_API', value: '3' },
                { name: 'ETCD_ON_K8S', value: 'yes' },
                { name: 'ETCD_NAME', value: '$(MY_POD_NAME)' },
                { name: 'ETCD_DATA_DIR', value: `${DATA_MOUNT}/data` },
                { name: 'ETCD_ADVERTISE_CLIENT_URLS', value: `http://$(MY_POD_NAME).${peerDomain}:${CLIENT_PORT},${this.clientUrl}` },
                { name: 'ETCD_LISTEN_CLIENT_URLS', value: `http://0.0.0.0:${CLIENT_PORT}` },
                { name: 'ETCD_INITIAL_ADVERTISE_PEER_URLS', value: `http://$(MY_POD_NAME).${peerDomain}:${PEER_PORT}` },
                { name: 'ETCD_LISTEN_PEER_URLS', value: `http://0.0.0.0:${PEER_PORT}` },
                { name: 'ETCD_CLUSTER_DOMAIN', value: peerDomain },
                { name: 'ALLOW_NONE_AUTHENTICATION', value: 'yes' },
              ],
              ports: [
                { name: 'client', containerPort: CLIENT_PORT, protocol: 'TCP' },
                { name: 'peer', containerPort: PEER_PORT, protocol: 'TCP' },
              ],
              startupProbe: health('', 5, 60),
              readinessProbe: health('', 10, 3),
              // Local health only: a member that lost quorum is not fixed by restarting it.
              livenessProbe: health('?serializable=true', 20, 3),
              resources: PlatformWorkload.resources(props.resources, RESOURCE_DEFAULTS),
              securityContext: SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true, runAsUser: ETCD_UID }),
              volumeMounts: [
                { name: 'data', mountPath: DATA_MOUNT },
                // The image's setup scripts write its generated config and temporary files here.
                { name: 'scratch', mountPath: '/opt/bitnami/etcd/conf', subPath: 'conf' },
                { name: 'scratch', mountPath: '/opt/bitnami/etcd/tmp', subPath: 'etcd-tmp' },
                { name: 'scratch', mountPath: '/tmp', subPath: 'tmp' },
              ],
            }],
            volumes: [{ name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
        volumeClaimTemplates: [PlatformWorkload.volumeClaim('data', props.storageSize ?? Size.gibibytes(1), props.storageClassName)],
      },
    });
  }

  /** Client endpoint, as components get it in `ETCD_ENDPOINTS` (no scheme, like the upstream chart). */
  public get endpoint(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local:${CLIENT_PORT}`;
  }

  private get clientUrl(): string {
    return `http://${this.endpoint}`;
  }
}

/**
 * How the platform reaches etcd. Dynamo 1.4.0 needs etcd only for the etcd discovery backend; the operator passes the
 * endpoints to every component as `ETCD_ENDPOINTS`.
 */
export class EtcdConnection {
  /** Installs an `Etcd` member next to the operator. */
  public static install(options: EtcdOptions = {}): EtcdConnection {
    return new EtcdConnection(options, undefined);
  }

  /** Uses existing etcd endpoints, comma-separated, e.g. `http://etcd-0.etcd:2379,http://etcd-1.etcd:2379`. */
  public static external(endpoints: string): EtcdConnection {
    return new EtcdConnection(undefined, endpoints);
  }

  private constructor(private readonly options: EtcdOptions | undefined, private readonly endpoints: string | undefined) {}

  /**
   * Installs etcd into `scope` (named `name`) or checks the external endpoints; returns the endpoints.
   * @internal
   */
  public _connect(scope: Construct, prop: string, namespace: string, name: string): string {
    if (this.options) {
      return new Etcd(scope, 'Etcd', { ...this.options, namespace, name }).endpoint;
    }
    const endpoints = this.endpoints!;
    PropError.check(endpoints.split(',').every((e) => /^(https?:\/\/)?[^\s,/:]+:\d{1,5}$/.test(e)), scope, prop, endpoints,
      'etcd endpoints \'host:port\' or \'http(s)://host:port\' separated by commas');
    return endpoints;
  }
}
