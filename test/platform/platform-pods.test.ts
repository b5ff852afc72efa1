import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { CrdSource } from '../../src/platform/crds';
import { DiscoveryBackend, DynamoPlatform, DynamoPlatformProps } from '../../src/platform/dynamo-platform';
import { Etcd, EtcdConnection } from '../../src/platform/etcd';
import { Nats, NatsConnection } from '../../src/platform/nats';
import { WebhookCertificates } from '../../src/platform/operator-certificates';
import { OperatorScope } from '../../src/platform/operator-scope';
import { expectValid } from '../support/validate';

/**
 * Every pod the platform can render (operator, NATS, etcd, in every mode) runs hardened: non-root under the
 * restricted Pod Security Standard, read-only root filesystem with bounded writable scratch, resources, probes.
 * One loop over all of them, so a new pod or a new mode is covered without a new test.
 */

const PLATFORMS: Array<[string, DynamoPlatformProps]> = [
  ['defaults', {}],
  ['namespace-restricted', { operatorScope: OperatorScope.namespaceRestricted() }],
  ['NATS, etcd, pull secrets', {
    nats: NatsConnection.install(),
    etcd: EtcdConnection.install(),
    discoveryBackend: DiscoveryBackend.ETCD,
    imagePullSecrets: ['mirror'],
  }],
  ['cert-manager, vendored CRDs', {
    certificates: WebhookCertificates.certManager(),
    crds: CrdSource.fromFile(path.join(__dirname, 'fixtures', 'widgets-crds.yaml')),
  }],
];

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

interface RenderedPod {
  readonly where: string;
  readonly spec: any;
  readonly claims: string[];
}

function pods(objects: any[], label: string): RenderedPod[] {
  return objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)).map((o) => ({
    where: `${label}: ${o.kind}/${o.metadata.name}`,
    spec: o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec,
    claims: (o.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name),
  }));
}

/** What each platform and standalone service synthesizes, by label. */
function synthesizeAll(): Array<[string, any[]]> {
  const synth = (label: string, build: (chart: Chart) => void): [string, any[]] => {
    const chart = Testing.chart();
    build(chart);
    return [label, Testing.synth(chart)];
  };
  return [
    ...PLATFORMS.map(([label, props]) => synth(label, (c) => new DynamoPlatform(c, 'Platform', props))),
    synth('Nats alone', (c) => new Nats(c, 'Nats')),
    synth('Etcd alone', (c) => new Etcd(c, 'Etcd')),
  ];
}

const SYNTHESIZED = synthesizeAll();
const ALL_PODS = SYNTHESIZED.flatMap(([label, objects]) => pods(objects, label));

test.each(SYNTHESIZED)('%s: every object is valid', (_label, objects) => {
  expectValid(objects);
});
const CASES = ALL_PODS.map((p) => [p.where, p] as const);

test('the loop sees the operator, NATS and etcd in every mode', () => {
  const names = ALL_PODS.map((p) => p.where);
  for (const [label] of PLATFORMS) expect(names).toContain(`${label}: Deployment/dynamo-platform-dynamo-operator-controller-manager`);
  expect(names).toContain('NATS, etcd, pull secrets: StatefulSet/dynamo-platform-nats');
  expect(names).toContain('NATS, etcd, pull secrets: StatefulSet/dynamo-platform-etcd');
  expect(ALL_PODS.length).toBe(PLATFORMS.length + 4);
});

describe.each(CASES)('%s', (_where, pod) => {
  const containers: any[] = pod.spec.containers;
  const initContainers: any[] = pod.spec.initContainers ?? [];
  const every = [...containers, ...initContainers];
  const volumes = new Map<string, any>((pod.spec.volumes ?? []).map((v: any) => [v.name, v]));

  test('pod: non-root, seccomp RuntimeDefault, no host namespaces', () => {
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod.spec[host]).toBeUndefined();
    expect([...volumes.values()].filter((v) => v.hostPath)).toEqual([]);
  });

  test.each(every.map((c) => [c.name, c] as const))('container %s: restricted security context with a read-only root filesystem', (_name, c) => {
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(c.securityContext.capabilities.add).toBeUndefined();
    expect(c.securityContext.runAsUser).toBeGreaterThan(0);
  });

  test.each(every.map((c) => [c.name, c] as const))('container %s: CPU and memory requests and limits', (_name, c) => {
    for (const kind of ['requests', 'limits']) {
      expect(Object.keys(c.resources[kind]).sort()).toEqual(['cpu', 'memory']);
    }
  });

  test.each(containers.map((c) => [c.name, c] as const))('container %s: startup, readiness and liveness probes on its own ports', (_name, c) => {
    const ports = new Set((c.ports ?? []).map((p: any) => p.name));
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(c[probe]).toBeDefined();
      expect(`${probe} port ${c[probe].httpGet.port}: ${ports.has(c[probe].httpGet.port)}`).toBe(`${probe} port ${c[probe].httpGet.port}: true`);
    }
    // The startup probe is there to give a slow start more time than liveness would.
    const budget = (p: any) => (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
    expect(budget(c.startupProbe)).toBeGreaterThanOrEqual(budget(c.livenessProbe));
  });

  test.each(every.map((c) => [c.name, c] as const))('container %s: writes only to bounded emptyDirs and its data volume', (_name, c) => {
    for (const mount of c.volumeMounts ?? []) {
      const volume = volumes.get(mount.name);
      if (volume?.configMap || volume?.secret) {
        expect(`${mount.name} readOnly: ${mount.readOnly}`).toBe(`${mount.name} readOnly: true`);
      } else if (volume?.emptyDir) {
        expect(volume.emptyDir.sizeLimit).toBeDefined();
      } else {
        expect(`${mount.name} is a claim template: ${pod.claims.includes(mount.name)}`).toBe(`${mount.name} is a claim template: true`);
      }
    }
  });

});

describe.each(CASES.filter(([, pod]) => pod.claims.length > 0))('%s', (_where, pod) => {
  test('data volumes are owned by the user the container runs as', () => {
    expect(pod.spec.securityContext.fsGroup).toBe(pod.spec.containers[0].securityContext.runAsUser);
  });
});
