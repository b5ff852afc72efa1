// Users import from 'cdk8s-dynamo'.
import { App, Chart, Size } from 'cdk8s';
import { DiscoveryBackend, DynamoMonitoring, DynamoPlatform, EtcdConnection, NatsConnection } from '../../src';

/**
 * The operator plus the optional infrastructure: NATS with JetStream (for the NATS event plane) and etcd (for etcd
 * discovery), their endpoints wired into the operator configuration, a Prometheus URL for the planner, and a
 * ServiceMonitor for the operator's own metrics, taken from the platform. Images come from a private mirror.
 */
export function synthesize(app: App): void {
  const chart = new Chart(app, 'dynamo-platform', { disableResourceNameHashes: true });
  const platform = new DynamoPlatform(chart, 'Dynamo', {
    registry: 'registry.example.com/nvidia/ai-dynamo',
    imagePullSecrets: ['mirror-pull-secret'],
    nats: NatsConnection.install({ image: 'registry.example.com/library/nats:2.10.21-alpine', storageSize: Size.gibibytes(20) }),
    etcd: EtcdConnection.install({ image: 'registry.example.com/bitnamilegacy/etcd:3.5.18-debian-12-r5' }),
    discoveryBackend: DiscoveryBackend.ETCD,
    prometheusEndpoint: 'http://prometheus-operated.monitoring.svc:9090',
  });
  new DynamoMonitoring(chart, 'OperatorMonitoring', {
    namespace: platform.namespace,
    namePrefix: 'dynamo',
    frontend: false,
    workers: false,
    planner: false,
    monitorLabels: { release: 'prometheus' },
    operator: { platform },
  });
}
