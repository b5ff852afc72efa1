import { Size } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformWorkload, ResourceDefaults } from './platform-workload';
import { PropError } from '../common/errors';
import { SecureDefaults } from '../common/security';

const CLIENT_PORT = 4222;
const MONITOR_PORT = 8222;
const PID_DIR = '/var/run/nats';
const CONFIG_DIR = '/etc/nats-config';
const STORE_DIR = '/data';
/** The nats image has no user of its own; any non-root UID works with the writable mounts below. */
const NATS_UID = 1000;
const RESOURCE_DEFAULTS: ResourceDefaults = { cpuRequest: '200m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1024Mi' };

/**
 * Settings of a bundled NATS server.
 */
export interface NatsOptions {
  /**
   * NATS server image.
   * @default 'docker.io/library/nats:2.10.21-alpine' (the image Dynamo's platform chart pins)
   */
  readonly image?: string;

  /**
   * Size of the JetStream file store volume; JetStream may fill all of it.
   * @default Size.gibibytes(10)
   */
  readonly storageSize?: Size;

  /**
   * StorageClass of the JetStream volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * Resources of the NATS container; unset fields keep their defaults.
   * @default - requests 200m CPU / 256Mi, limits 1 CPU / 1024Mi
   */
  readonly resources?: ContainerResources;
}

/**
 * Properties of a `Nats` server.
 */
export interface NatsProps extends NatsOptions {
  /**
   * Namespace of the server.
   * @default 'dynamo-system'
   */
  readonly namespace?: string;

  /**
   * Name of the StatefulSet and client Service (the headless Service adds `-headless`).
   * @default 'dynamo-platform-nats'
   */
  readonly name?: string;
}

/**
 * A single-node NATS server with JetStream on a persistent volume, as the Dynamo platform chart installs it
 * (only needed for the NATS event plane or legacy NATS request plane): StatefulSet, client and headless Services,
 * config, and a PodDisruptionBudget. Runs non-root with a read-only root filesystem.
 *
 * Unlike the upstream chart, there is no config-reloader sidecar: a config change rolls the pod through a checksum
 * annotation, which is what a GitOps sync does anyway.
 */
export class Nats extends Construct {
  /** nats.conf: the upstream chart's settings plus Dynamo's 15 MiB max payload; the store may use the whole volume. */
  private static config(storage: Size): string {
    return [
      'server_name: $SERVER_NAME',
      `port: ${CLIENT_PORT}`,
      `http_port: ${MONITOR_PORT}`,
      `pid_file: "${PID_DIR}/nats.pid"`,
      'lame_duck_grace_period: "10s"',
      'lame_duck_duration: "30s"',
      'max_payload: 15728640',
      'jetstream {',
      `  store_dir: "${STORE_DIR}"`,
      '  max_memory_store: 0',
      `  max_file_store: ${storage.toMebibytes() * 1024 * 1024}`,
      '}',
      '',
    ].join('\n');
  }

  /** Name of the StatefulSet and client Service. */
  public readonly name: string;
  /** Namespace of the server. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: NatsProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'dynamo-platform-nats';
    this.namespace = props.namespace ?? 'dynamo-system';
    PlatformWorkload.checkDnsLabel(this, 'name', props.name);
    PlatformWorkload.checkDnsLabel(this, 'namespace', props.namespace);
    PlatformWorkload.checkImage(this, 'image', props.image);
    PlatformWorkload.checkSize(this, 'storageSize', props.storageSize, Size.gibibytes(1));
    PlatformWorkload.checkResources(this, 'resources', props.resources, RESOURCE_DEFAULTS);
    PropError.check(this.name.length <= 54, this, 'name', this.name, 'at most 54 characters', 'the headless Service appends \'-headless\'');

    const storage = props.storageSize ?? Size.gibibytes(10);
    const labels = {
      'app.kubernetes.io/name': 'nats',
      'app.kubernetes.io/instance': this.name,
      'app.kubernetes.io/component': 'nats',
    };
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels: { ...labels, 'app.kubernetes.io/managed-by': 'cdk8s-dynamo' } });
    const config = Nats.config(storage);

    new k8s.KubeConfigMap(this, 'Config', { metadata: metadata(`${this.name}-config`), data: { 'nats.conf': config } });

    new k8s.KubeService(this, 'Service', {
      metadata: metadata(this.name),
      spec: {
        selector: labels,
        ports: [{ name: 'nats', port: CLIENT_PORT, targetPort: k8s.IntOrString.fromString('nats'), appProtocol: 'tcp' }],
      },
    });
    new k8s.KubeService(this, 'Headless', {
      metadata: metadata(`${this.name}-headless`),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: labels,
        ports: [
          { name: 'nats', port: CLIENT_PORT, targetPort: k8s.IntOrString.fromString('nats'), appProtocol: 'tcp' },
          { name: 'monitor', port: MONITOR_PORT, targetPort: k8s.IntOrString.fromString('monitor'), appProtocol: 'http' },
        ],
      },
    });

    const healthz = (query: string, periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: `/healthz${query}`, port: k8s.IntOrString.fromString('monitor') },
      initialDelaySeconds: 10,
      timeoutSeconds: 5,
      periodSeconds,
      failureThreshold,
    });
    const dataVolume = `${this.name}-js`;

    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: metadata(this.name),
      spec: {
        replicas: 1,
        serviceName: `${this.name}-headless`,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            annotations: { 'checksum/config': PlatformWorkload.checksum(config), 'sidecar.istio.io/inject': 'false' },
          },
          spec: {
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            // Lame-duck mode takes up to 10s grace + 30s drain before the server exits.
            terminationGracePeriodSeconds: 60,
            securityContext: SecureDefaults.podSecurityContext({ nonRoot: true, fsGroup: NATS_UID }),
            containers: [{
              name: 'nats',
              image: props.image ?? 'docker.io/library/nats:2.10.21-alpine',
              imagePullPolicy: 'IfNotPresent',
              args: ['--config', `${CONFIG_DIR}/nats.conf`],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'SERVER_NAME', value: '$(POD_NAME)' },
              ],
              ports: [
                { name: 'nats', containerPort: CLIENT_PORT, protocol: 'TCP' },
                { name: 'monitor', containerPort: MONITOR_PORT, protocol: 'TCP' },
              ],
              lifecycle: { preStop: { exec: { command: ['nats-server', `-sl=ldm=${PID_DIR}/nats.pid`] } } },
              startupProbe: healthz('', 10, 90),
              readinessProbe: healthz('?js-server-only=true', 10, 3),
              livenessProbe: healthz('?js-enabled-only=true', 30, 3),
              resources: PlatformWorkload.resources(props.resources, RESOURCE_DEFAULTS),
              securityContext: SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true, runAsUser: NATS_UID }),
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'pid', mountPath: PID_DIR },
                { name: dataVolume, mountPath: STORE_DIR },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: `${this.name}-config` } },
              { name: 'pid', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
            ],
          },
        },
        volumeClaimTemplates: [PlatformWorkload.volumeClaim(dataVolume, storage, props.storageClassName)],
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'Budget', {
      metadata: metadata(this.name),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
    });
  }

  /** Client URL, as components get it in `NATS_SERVER`. */
  public get address(): string {
    return `nats://${this.name}.${this.namespace}.svc.cluster.local:${CLIENT_PORT}`;
  }
}

/**
 * How the platform reaches NATS. Dynamo 1.4.0 needs NATS only for the NATS event plane, the legacy NATS request plane,
 * or a NATS request-trace sink; the operator passes the address to every component as `NATS_SERVER`.
 */
export class NatsConnection {
  /** Installs a `Nats` server next to the operator. */
  public static install(options: NatsOptions = {}): NatsConnection {
    return new NatsConnection(options, undefined);
  }

  /** Uses an existing NATS server, e.g. `nats://nats.messaging.svc.cluster.local:4222`. */
  public static external(address: string): NatsConnection {
    return new NatsConnection(undefined, address);
  }

  private constructor(private readonly options: NatsOptions | undefined, private readonly address: string | undefined) {}

  /**
   * Installs the server into `scope` (named `name`) or checks the external address; returns the client URL.
   * @internal
   */
  public _connect(scope: Construct, prop: string, namespace: string, name: string): string {
    if (this.options) {
      return new Nats(scope, 'Nats', { ...this.options, namespace, name }).address;
    }
    const address = this.address!;
    PropError.check(address.split(',').every((url) => /^(nats|tls|ws|wss):\/\/[^\s,/]+$/.test(url)), scope, prop, address,
      'NATS URLs separated by commas, such as \'nats://nats.messaging.svc.cluster.local:4222\'');
    return address;
  }
}
