import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { BundledService, PlatformServiceDefaults, PlatformServiceOptions, PlatformServiceProps, ServiceConnection } from './platform-service';
import { PlatformWorkload } from './platform-workload';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
const DATA_MOUNT = '/bitnami/etcd';
const DEFAULTS: PlatformServiceDefaults = {
  app: 'etcd',
  name: 'dynamo-platform-etcd',
  image: 'docker.io/bitnamilegacy/etcd:3.5.18-debian-12-r5',
  storageSize: Size.gibibytes(1),
  resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '2048Mi' },
  // The Bitnami etcd image runs as UID 1001.
  uid: 1001,
};

/**
 * A single-member etcd without authentication on a persistent volume, as the Dynamo platform chart installs it (only
 * needed for the etcd discovery backend): StatefulSet plus client and headless Services. Runs non-root with a
 * read-only root filesystem and health probes (the chart disables them).
 *
 * It is one member on purpose: growing a Bitnami etcd cluster needs install-versus-upgrade logic that static
 * manifests cannot express. Point the platform at an external etcd cluster when you need more.
 */
export class Etcd extends BundledService {
  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props name, namespace, image, storage and resources
   */
  constructor(scope: Construct, id: string, props: PlatformServiceProps = {}) {
    super(scope, id, props, DEFAULTS);

    const peerDomain = `${this._service.headlessName}.${this.namespace}.svc.cluster.local`;
    const port = (name: string, number: number): k8s.ServicePort => ({ name, port: number, targetPort: k8s.IntOrString.fromString(name) });
    const health = (query: string, periodSeconds: number, failureThreshold: number) =>
      PlatformWorkload.httpProbe(`/health${query}`, 'client', { timeoutSeconds: 5, periodSeconds, failureThreshold });
    this._service.render({
      clientPorts: [port('client', CLIENT_PORT)],
      headlessPorts: [port('client', CLIENT_PORT), port('peer', PEER_PORT)],
      container: {
        name: 'etcd',
        env: [
          { name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'ETCDCTL_API', value: '3' },
          { name: 'ETCD_ON_K8S', value: 'yes' },
          { name: 'ETCD_NAME', value: '$(MY_POD_NAME)' },
          { name: 'ETCD_DATA_DIR', value: `${DATA_MOUNT}/data` },
          { name: 'ETCD_ADVERTISE_CLIENT_URLS', value: `http://$(MY_POD_NAME).${peerDomain}:${CLIENT_PORT},http://${this.endpoint}` },
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
        volumeMounts: [
          { name: 'data', mountPath: DATA_MOUNT },
          // The image's setup scripts write its generated config and temporary files here.
          { name: 'scratch', mountPath: '/opt/bitnami/etcd/conf', subPath: 'conf' },
          { name: 'scratch', mountPath: '/opt/bitnami/etcd/tmp', subPath: 'etcd-tmp' },
          { name: 'scratch', mountPath: '/tmp', subPath: 'tmp' },
        ],
      },
      volumes: [{ name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
      dataVolume: 'data',
    });
  }

  /** Client endpoint, as components get it in `ETCD_ENDPOINTS` (no scheme, like the upstream chart). */
  public get endpoint(): string {
    return `${this._service.host}:${CLIENT_PORT}`;
  }
}

/**
 * How the platform reaches etcd. Dynamo 1.4.0 needs etcd only for the etcd discovery backend; the operator passes the
 * endpoints to every component as `ETCD_ENDPOINTS`.
 */
export class EtcdConnection {
  /**
   * Installs an `Etcd` member next to the operator.
   * @param options image, storage and resources of the etcd member
   */
  public static install(options: PlatformServiceOptions = {}): EtcdConnection {
    return new EtcdConnection(ServiceConnection.install(options, (scope, props) => new Etcd(scope, 'Etcd', props).endpoint));
  }

  /**
   * Uses existing etcd endpoints, comma-separated, e.g. `http://etcd-0.etcd:2379,http://etcd-1.etcd:2379`.
   * @param endpoints `host:port` or `http(s)://host:port`, separated by commas
   */
  public static external(endpoints: string): EtcdConnection {
    return new EtcdConnection(ServiceConnection.external(endpoints, /^(https?:\/\/)?[^\s,/:]+:\d{1,5}$/,
      'etcd endpoints \'host:port\' or \'http(s)://host:port\' separated by commas'));
  }

  private constructor(private readonly connection: ServiceConnection) {}

  /**
   * Installs etcd into `scope` (named `name`) or checks the external endpoints; returns the endpoints.
   * @internal
   */
  public _connect(scope: Construct, prop: string, namespace: string, name: string): string {
    return this.connection.connect(scope, prop, namespace, name);
  }
}
