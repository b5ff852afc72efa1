import { Size, Testing } from 'cdk8s';
import { Etcd } from '../../src/platform/etcd';
import { expectValid } from '../support/validate';

function synth(props = {}): { etcd: Etcd; objects: any[] } {
  const chart = Testing.chart();
  const etcd = new Etcd(chart, 'Etcd', props);
  return { etcd, objects: Testing.synth(chart) };
}

const of = (objects: any[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('Etcd', () => {
  const { etcd, objects } = synth();
  const sts = of(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('endpoint is the client Service, without a scheme (as the chart computes it)', () => {
    expect(etcd.endpoint).toBe('dynamo-platform-etcd.dynamo-system.svc.cluster.local:2379');
    expect(of(objects, 'Service', 'dynamo-platform-etcd').spec.ports).toEqual([{ name: 'client', port: 2379, targetPort: 'client' }]);
    expect(of(objects, 'Service', 'dynamo-platform-etcd-headless').spec.ports.map((p: any) => p.port)).toEqual([2379, 2380]);
  });

  test('single member without authentication, data on the volume', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(env).toMatchObject({
      ETCD_NAME: '$(MY_POD_NAME)',
      ETCD_DATA_DIR: '/bitnami/etcd/data',
      ETCD_LISTEN_CLIENT_URLS: 'http://0.0.0.0:2379',
      ALLOW_NONE_AUTHENTICATION: 'yes',
    });
    expect(env.ETCD_ADVERTISE_CLIENT_URLS).toBe(
      'http://$(MY_POD_NAME).dynamo-platform-etcd-headless.dynamo-system.svc.cluster.local:2379,'
      + 'http://dynamo-platform-etcd.dynamo-system.svc.cluster.local:2379');
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/bitnami/etcd' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1024Mi');
  });

  test('probes on the client port (the chart has none)', () => {
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'client' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'client' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health?serializable=true', port: 'client' });
  });

  test('runs as the image\'s UID 1001 with scratch where its scripts write (hardening: platform-pods.test.ts)', () => {
    expect(container.securityContext.runAsUser).toBe(1001);
    expect(pod.securityContext.fsGroup).toBe(1001);
    expect(container.volumeMounts.filter((m: any) => m.name === 'scratch').map((m: any) => m.mountPath))
      .toEqual(['/opt/bitnami/etcd/conf', '/opt/bitnami/etcd/tmp', '/tmp']);
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2048Mi' } });
  });

  test('custom storage', () => {
    const custom = synth({ storageSize: Size.gibibytes(8), storageClassName: 'standard', name: 'discovery', namespace: 'infra' });
    expectValid(custom.objects);
    expect(custom.etcd.endpoint).toBe('discovery.infra.svc.cluster.local:2379');
    expect(of(custom.objects, 'StatefulSet').spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'standard' });
  });

  test.each<[string, object, RegExp]>([
    ['name', { name: 'etcd.main' }, /\[test\/Etcd\] 'name' is 'etcd.main': allowed: a DNS-1123 label/],
    ['image', { image: 'bitnami/etcd:latest' }, /'image' is 'bitnami\/etcd:latest'/],
    ['storage', { storageSize: Size.kibibytes(1536) }, /'storageSize' is '1536Ki': allowed: a whole number of MiB/],
  ])('bad %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
