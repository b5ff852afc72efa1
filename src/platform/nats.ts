import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { BundledService, PlatformServiceDefaults, PlatformServiceOptions, PlatformServiceProps, ServiceConnection } from './platform-service';
import { PlatformWorkload } from './platform-workload';

const CLIENT_PORT = 4222;
const MONITOR_PORT = 8222;
const PID_DIR = '/var/run/nats';
const CONFIG_DIR = '/etc/nats-config';
const STORE_DIR = '/data';
const DEFAULTS: PlatformServiceDefaults = {
  app: 'nats',
  name: 'dynamo-platform-nats',
  image: 'docker.io/library/nats:2.10.21-alpine',
  storageSize: Size.gibibytes(10),
  resources: { cpuRequest: '200m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1024Mi' },
  // The nats image has no user of its own; any non-root UID works with the writable mounts below.
  uid: 1000,
};

/**
 * A single-node NATS server with JetStream on a persistent volume, as the Dynamo platform chart installs it
 * (only needed for the NATS event plane or legacy NATS request plane): StatefulSet, client and headless Services,
 * config, and a PodDisruptionBudget. Runs non-root with a read-only root filesystem.
 *
 * Unlike the upstream chart, there is no config-reloader sidecar: a config change rolls the pod through a checksum
 * annotation, which is what a GitOps sync does anyway.
 */
export class Nats extends BundledService {
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

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props name, namespace, image, storage and resources
   */
  constructor(scope: Construct, id: string, props: PlatformServiceProps = {}) {
    super(scope, id, props, DEFAULTS);
    const config = Nats.config(this._service.storageSize);
    const configMap = `${this.name}-config`;
    new k8s.KubeConfigMap(this, 'Config', { metadata: this._service.metadata(configMap), data: { 'nats.conf': config } });

    const port = (name: string, number: number, appProtocol: string): k8s.ServicePort =>
      ({ name, port: number, targetPort: k8s.IntOrString.fromString(name), appProtocol });
    const healthz = (query: string, periodSeconds: number, failureThreshold: number) =>
      PlatformWorkload.httpProbe(`/healthz${query}`, 'monitor', { initialDelaySeconds: 10, timeoutSeconds: 5, periodSeconds, failureThreshold });
    const dataVolume = `${this.name}-js`;
    this._service.render({
      clientPorts: [port('nats', CLIENT_PORT, 'tcp')],
      headlessPorts: [port('nats', CLIENT_PORT, 'tcp'), port('monitor', MONITOR_PORT, 'http')],
      annotations: { 'checksum/config': PlatformWorkload.checksum(config), 'sidecar.istio.io/inject': 'false' },
      // Lame-duck mode takes up to 10s grace + 30s drain before the server exits.
      terminationGracePeriodSeconds: 60,
      container: {
        name: 'nats',
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
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'pid', mountPath: PID_DIR },
          { name: dataVolume, mountPath: STORE_DIR },
        ],
      },
      volumes: [
        { name: 'config', configMap: { name: configMap } },
        { name: 'pid', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
      ],
      dataVolume,
    });

    new k8s.KubePodDisruptionBudget(this, 'Budget', {
      metadata: this._service.metadata(this.name),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this._service.selector } },
    });
  }

  /** Client URL, as components get it in `NATS_SERVER`. */
  public get address(): string {
    return `nats://${this._service.host}:${CLIENT_PORT}`;
  }
}

/**
 * How the platform reaches NATS. Dynamo 1.4.0 needs NATS only for the NATS event plane, the legacy NATS request plane,
 * or a NATS request-trace sink; the operator passes the address to every component as `NATS_SERVER`.
 */
export class NatsConnection {
  /**
   * Installs a `Nats` server next to the operator.
   * @param options image, storage and resources of the NATS server
   */
  public static install(options: PlatformServiceOptions = {}): NatsConnection {
    return new NatsConnection(ServiceConnection.install(options, (scope, props) => new Nats(scope, 'Nats', props).address));
  }

  /**
   * Uses an existing NATS server, e.g. `nats://nats.messaging.svc.cluster.local:4222`.
   * @param address NATS URLs (`nats://`, `tls://`, `ws://` or `wss://`), separated by commas
   */
  public static external(address: string): NatsConnection {
    return new NatsConnection(ServiceConnection.external(address, /^(nats|tls|ws|wss):\/\/[^\s,/]+$/,
      'NATS URLs separated by commas, such as \'nats://nats.messaging.svc.cluster.local:4222\''));
  }

  private constructor(private readonly connection: ServiceConnection) {}

  /**
   * Installs the server into `scope` (named `name`) or checks the external address; returns the client URL.
   * @internal
   */
  public _connect(scope: Construct, prop: string, namespace: string, name: string): string {
    return this.connection.connect(scope, prop, namespace, name);
  }
}
