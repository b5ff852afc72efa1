import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { Nats } from '../../src/platform/nats';
import { expectValid } from '../support/validate';

function synth(props = {}): { nats: Nats; objects: any[] } {
  const chart = Testing.chart();
  const nats = new Nats(chart, 'Nats', props);
  return { nats, objects: Testing.synth(chart) };
}

const of = (objects: any[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('Nats', () => {
  const { nats, objects } = synth();
  const pod = of(objects, 'StatefulSet').spec.template.spec;
  const container = pod.containers[0];

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('every object is valid', () => {
    expectValid(objects);
  });

  test('address is the client Service', () => {
    expect(nats.address).toBe('nats://dynamo-platform-nats.dynamo-system.svc.cluster.local:4222');
    expect(of(objects, 'Service', 'dynamo-platform-nats').spec.ports).toEqual([
      { name: 'nats', port: 4222, targetPort: 'nats', appProtocol: 'tcp' },
    ]);
  });

  test('headless Service publishes not-ready pods for the StatefulSet', () => {
    const headless = of(objects, 'Service', 'dynamo-platform-nats-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(of(objects, 'StatefulSet').spec.serviceName).toBe('dynamo-platform-nats-headless');
  });

  test('JetStream on a 10Gi volume, 15 MiB payloads, lame-duck shutdown', () => {
    const conf: string = of(objects, 'ConfigMap').data['nats.conf'];
    expect(conf).toContain('max_payload: 15728640');
    expect(conf).toMatch(/jetstream \{\n {2}store_dir: "\/data"\n {2}max_memory_store: 0\n {2}max_file_store: 10737418240\n\}/);
    const claim = of(objects, 'StatefulSet').spec.volumeClaimTemplates[0];
    expect(claim.spec.resources.requests.storage).toBe('10240Mi');
    expect(container.volumeMounts).toContainEqual({ name: claim.metadata.name, mountPath: '/data' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['nats-server', '-sl=ldm=/var/run/nats/nats.pid']);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(40);
  });

  test('config changes roll the pod', () => {
    const annotation = (size: Size) => of(synth({ storageSize: size }).objects, 'StatefulSet').spec.template.metadata.annotations['checksum/config'];
    expect(annotation(Size.gibibytes(10))).not.toEqual(annotation(Size.gibibytes(20)));
  });

  test('probes on the monitor port', () => {
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'monitor' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz?js-server-only=true', port: 'monitor' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz?js-enabled-only=true', port: 'monitor' });
  });

  test('runs as UID 1000, which owns the JetStream volume; default resources (hardening: platform-pods.test.ts)', () => {
    expect(container.securityContext.runAsUser).toBe(1000);
    expect(pod.securityContext.fsGroup).toBe(1000);
    expect(container.resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('PodDisruptionBudget allows one pod down', () => {
    const pdb = of(objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(of(objects, 'StatefulSet').spec.selector.matchLabels);
  });

  test('custom image, storage, class, resources, name and namespace', () => {
    const custom = synth({
      name: 'events',
      namespace: 'infra',
      image: 'registry.example.com/nats:2.11.1-alpine',
      storageSize: Size.gibibytes(50),
      storageClassName: 'fast-ssd',
      resources: {
        cpu: { request: Cpu.millis(500) },
        memory: { limit: Size.gibibytes(2) },
        ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
    });
    expectValid(custom.objects);
    expect(custom.nats.address).toBe('nats://events.infra.svc.cluster.local:4222');
    const sts = of(custom.objects, 'StatefulSet');
    expect(sts.spec.template.spec.containers[0].image).toBe('registry.example.com/nats:2.11.1-alpine');
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '51200Mi' } } });
    expect(sts.spec.template.spec.containers[0].resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '2048Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('max_file_store always equals the volume size', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4096 }), (gib) => {
      const { objects: o } = synth({ storageSize: Size.gibibytes(gib) });
      const conf: string = of(o, 'ConfigMap').data['nats.conf'];
      const claim = of(o, 'StatefulSet').spec.volumeClaimTemplates[0].spec.resources.requests.storage;
      return conf.includes(`max_file_store: ${gib * 1024 ** 3}\n`) && claim === `${gib * 1024}Mi`;
    }), { numRuns: 25 });
  });

  test.each<[string, object, RegExp]>([
    ['name', { name: 'NATS' }, /\[test\/Nats\] 'name' is 'NATS': allowed: a DNS-1123 label/],
    ['long name', { name: 'n'.repeat(55) }, /'name' is 'n{55}': the headless Service appends '-headless'. allowed: at most 54 characters/],
    ['namespace', { namespace: 'a_b' }, /'namespace' is 'a_b'/],
    ['image without tag', { image: 'nats' }, /'image' is 'nats': allowed: an image reference pinned/],
    ['small volume', { storageSize: Size.mebibytes(512) }, /'storageSize' is '512Mi': allowed: a whole number of MiB, at least 1Gi/],
    ['request above limit', { resources: { cpu: { request: Cpu.units(2) } } }, /'resources.cpu.request' is '2': allowed: at most the CPU limit \(1\)/],
    ['disk request above limit', { resources: { ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } },
      /\[test\/Nats\] 'resources.ephemeralStorage.request' is '2048Mi': allowed: at most the ephemeral storage limit \(1024Mi\)/],
    ['fractional disk', { resources: { ephemeralStorage: { limit: Size.kibibytes(1536) } } }, /'resources.ephemeralStorage.limit' is '1536Ki': allowed: a whole number of MiB/],
  ])('bad %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
