import { Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { convertV1Alpha1Spec, normalizeV1Beta1 } from './convert-v1alpha1';
import { dgd, mainContainer, synthValid, validationErrors } from './synth';
import {
  AggregatedPool, Backend, ComponentPodOverrides, DecodePool, DynamoApiVersion, DynamoGraph, DynamoPolicy, Frontend, GpuProfile, ModelCache,
  Planner, PrefillPool,
} from '../../src';

const MODEL = 'Qwen/Qwen3-0.6B';

/** Every override at once, as a user porting an upstream manifest would write them. */
const OVERRIDES: ComponentPodOverrides = {
  volumes: [
    { name: 'engine-configs', configMap: { name: 'nvidia-config' } },
    { name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('4Gi') } },
  ],
  volumeMounts: [{ name: 'engine-configs', mountPath: '/workspace/configs', readOnly: true }],
  terminationGracePeriod: Duration.minutes(2),
  workingDir: '/workspace/examples/backends/vllm',
  command: ['/bin/sh', '-c', 'ulimit -l unlimited && exec "$@"', '--'],
  sidecars: [{
    name: 'log-shipper',
    image: 'fluent/fluent-bit:3.1.4',
    volumeMounts: [{ name: 'scratch', mountPath: '/logs' }],
    resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') }, limits: { memory: k8s.Quantity.fromString('128Mi') } },
  }],
  tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }],
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['inference'] }] }] } },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } } }] },
  },
  securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] }, runAsGroup: 0 },
  podSecurityContext: { fsGroup: 1000, supplementalGroups: [44] },
};

function graphOf(apiVersion: DynamoApiVersion, backend = Backend.VLLM) {
  const chart = Testing.chart();
  return { chart, graph: new DynamoGraph(chart, 'g', { backend, apiVersion, namespace: 'ns' }) };
}

/** Both renderings of one tree, the v1alpha1 one through the operator's conversion. */
function bothVersions(graph: DynamoGraph): { converted: any; v1beta1: any } {
  const json = (v: DynamoApiVersion) => JSON.parse(JSON.stringify(graph._renderSpec(v)));
  return { converted: convertV1Alpha1Spec(json(DynamoApiVersion.V1ALPHA1)), v1beta1: normalizeV1Beta1(json(DynamoApiVersion.V1BETA1)) };
}

describe('pod and container overrides', () => {
  test('a worker pool renders every override into its pod and main container (v1beta1)', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1BETA1);
    new Frontend(graph, 'Frontend');
    new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, ...OVERRIDES });
    const [, worker] = dgd(synthValid(chart)).spec.components;
    const spec = worker.podTemplate.spec;
    const main = mainContainer(worker);
    expect(spec.terminationGracePeriodSeconds).toBe(120);
    expect(spec.volumes).toEqual([
      { name: 'engine-configs', configMap: { name: 'nvidia-config' } },
      { name: 'scratch', emptyDir: { sizeLimit: '4Gi' } },
    ]);
    expect(main.volumeMounts).toEqual([{ name: 'engine-configs', mountPath: '/workspace/configs', readOnly: true }]);
    expect(main.workingDir).toBe('/workspace/examples/backends/vllm');
    // The wrapper runs the engine, which follows as its arguments.
    expect(main.command).toEqual(OVERRIDES.command);
    expect(main.args.slice(0, 5)).toEqual(['python3', '-m', 'dynamo.vllm', '--model', MODEL]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['main', 'log-shipper']);
    expect(spec.containers[1].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // GPU tolerations first, then the user's; the user's required term is ANDed with the GPU product targeting.
    expect(spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{
      matchExpressions: [
        { key: 'nvidia.com/gpu.product', operator: 'In', values: [GpuProfile.H100_SXM.productLabel] },
        { key: 'pool', operator: 'In', values: ['inference'] },
      ],
    }]);
    expect(spec.affinity.podAntiAffinity).toEqual(OVERRIDES.affinity!.podAntiAffinity);
    expect(main.securityContext).toMatchObject({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsGroup: 0, allowPrivilegeEscalation: false });
    expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 1000, supplementalGroups: [44] });
  });

  test('v1alpha1 puts them in extraPodSpec and mainContainer, sidecars in extraPodSpec.containers', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1ALPHA1);
    new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, ...OVERRIDES });
    const extra = dgd(synthValid(chart)).spec.services.Worker.extraPodSpec;
    expect(extra.terminationGracePeriodSeconds).toBe(120);
    expect(extra.containers.map((c: any) => c.name)).toEqual(['log-shipper']);
    expect(extra.mainContainer.workingDir).toBe('/workspace/examples/backends/vllm');
    expect(extra.mainContainer.volumeMounts).toEqual([{ name: 'engine-configs', mountPath: '/workspace/configs', readOnly: true }]);
  });

  test.each([
    ['aggregated pool with probe timing', (g: DynamoGraph, o: ComponentPodOverrides) => new AggregatedPool(g, 'Worker', {
      model: MODEL,
      ...o,
      livenessPeriod: Duration.seconds(20),
      livenessTimeout: Duration.seconds(8),
      readinessPeriod: Duration.seconds(30),
      readinessTimeout: Duration.seconds(9),
    })],
    ['aggregated pool', (g: DynamoGraph, o: ComponentPodOverrides) => new AggregatedPool(g, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, ...o })],
    ['disaggregated pools', (g: DynamoGraph, o: ComponentPodOverrides) => {
      new PrefillPool(g, 'Prefill', { model: MODEL, ...o });
      new DecodePool(g, 'Decode', { model: MODEL, gpu: GpuProfile.L40S, ...o });
    }],
    ['frontend', (g: DynamoGraph, o: ComponentPodOverrides) => new Frontend(g, 'Frontend', { ...o, livenessTimeout: Duration.seconds(2), readinessPeriod: Duration.seconds(15) })],
    ['planner', (g: DynamoGraph, o: ComponentPodOverrides) => {
      new PrefillPool(g, 'Prefill', { model: MODEL, gpu: GpuProfile.H100_SXM });
      new DecodePool(g, 'Decode', { model: MODEL, gpu: GpuProfile.H100_SXM });
      new Planner(g, 'Planner', o);
    }],
  ])('%s: v1alpha1 and v1beta1 mean the same after conversion, with every override', (_name, add) => {
    for (const backend of [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM]) {
      const { graph } = graphOf(DynamoApiVersion.V1BETA1, backend);
      add(graph, OVERRIDES);
      const { converted, v1beta1 } = bothVersions(graph);
      expect(converted).toEqual(v1beta1);
      expect(JSON.stringify(v1beta1)).toContain('log-shipper');
    }
  });

  test('an added capability the restricted profile forbids needs a recorded suppression (RDMA: IPC_LOCK)', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1BETA1);
    const pool = new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM, securityContext: { capabilities: { add: ['IPC_LOCK'] } } });
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/^DYN-SEC-004 .*capabilities\.add' is \["IPC_LOCK"\]/)]);
    DynamoPolicy.suppress(pool, 'DYN-SEC-004', 'RDMA (GPUDirect) registers pinned memory');
    const graphJson = dgd(synthValid(chart));
    expect(graphJson.metadata.annotations['policy.cdk8s-dynamo.io/suppressed']).toMatch(/^DYN-SEC-004\[Worker\]=RDMA/m);
  });

  test('the frontend runs its own program under a wrapper command', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1BETA1);
    new Frontend(graph, 'Frontend', { command: ['/entry.sh'] });
    const main = mainContainer(dgd(synthValid(chart)).spec.components[0]);
    expect([main.command, main.args]).toEqual([['/entry.sh'], ['python3', '-m', 'dynamo.frontend']]);
  });

  test('overrides reach the model cache download Job of a pool (tolerations and node affinity)', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1BETA1);
    const cache = new ModelCache(chart, 'models', { model: MODEL, namespace: 'ns', size: Size.gibibytes(10) });
    new AggregatedPool(graph, 'Worker', {
      model: MODEL, gpu: GpuProfile.H100_SXM, modelCache: cache, tolerations: OVERRIDES.tolerations, affinity: OVERRIDES.affinity,
    });
    const job = synthValid(chart).find(o => o.kind === 'Job');
    expect(job.spec.template.spec.tolerations).toContainEqual({ key: 'spot', operator: 'Exists', effect: 'NoSchedule' });
    expect(job.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toContainEqual({ key: 'pool', operator: 'In', values: ['inference'] });
  });

  test.each([
    [{ volumes: [{ name: 'Bad_Name', emptyDir: {} }] }, /'volumes\[0\]\.name' is 'Bad_Name'/],
    [{ volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }] }, /'volumes\[1\]\.name' is 'a': pod volume names are unique/],
    [{ volumes: [{ name: 'shared-memory', emptyDir: {} }] }, /'volumes\[0\]\.name' is 'shared-memory'/],
    [{ volumeMounts: [{ name: 'a', mountPath: 'relative' }] }, /'volumeMounts\[0\]\.mountPath' is 'relative'/],
    [{ terminationGracePeriod: Duration.millis(1500) }, /'terminationGracePeriod' is '1 second 500 millis': allowed: a whole number of seconds/],
    [{ workingDir: 'workspace' }, /'workingDir' is 'workspace'/],
    [{ command: [] }, /'command' is \[\]: allowed: a non-empty list/],
    [{ sidecars: [{ name: 'main', image: 'busybox:1.36' }] }, /'sidecars\[0\]\.name' is 'main'/],
    [{ sidecars: [{ name: 'a', image: '' }] }, /'sidecars\[0\]\.image' is ''/],
    [{ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, /'tolerations\[0\]\.value' is 'v': allowed: unset with operator Exists/],
    [{ tolerations: [{ key: 'k', operator: 'In' }] }, /'tolerations\[0\]\.operator' is 'In'/],
    [{ tolerations: [{ key: 'k', effect: 'Sometimes' }] }, /'tolerations\[0\]\.effect' is 'Sometimes'/],
  ] as Array<[ComponentPodOverrides, RegExp]>)('%j is refused at construction', (overrides, message) => {
    const { graph } = graphOf(DynamoApiVersion.V1BETA1);
    expect(() => new AggregatedPool(graph, 'Worker', { model: MODEL, ...overrides })).toThrow(message);
  });

  test('synth refuses a mount of no volume, and a volume name the component renders itself', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1BETA1, Backend.TRTLLM);
    new AggregatedPool(graph, 'Worker', {
      model: MODEL,
      volumes: [{ name: 'engine-config', emptyDir: {} }],
      volumeMounts: [{ name: 'missing', mountPath: '/x' }],
    });
    expect(validationErrors(chart)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[test\/g\/Worker\] 'volumes' is 'engine-config': pod volume names are unique/),
      expect.stringMatching(/^\[test\/g\/Worker\] 'volumeMounts\[0\]\.name' is 'missing':.*allowed: a volume of the pod: engine-config/),
    ]));
  });

  test('probe period and timeout: typed, validated, refused on multinode pools', () => {
    const { chart, graph } = graphOf(DynamoApiVersion.V1BETA1);
    new Frontend(graph, 'Frontend', { livenessPeriod: Duration.seconds(30), readinessTimeout: Duration.seconds(5) });
    new AggregatedPool(graph, 'Worker', { model: MODEL, livenessTimeout: Duration.seconds(10), livenessPeriod: Duration.seconds(15), readinessPeriod: Duration.seconds(20) });
    const [frontend, worker] = dgd(synthValid(chart)).spec.components.map(mainContainer);
    expect(frontend.livenessProbe).toMatchObject({ periodSeconds: 30, timeoutSeconds: 1 });
    expect(frontend.readinessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 5 });
    expect(worker.livenessProbe).toMatchObject({ periodSeconds: 15, timeoutSeconds: 10 });
    expect(worker.readinessProbe).toMatchObject({ periodSeconds: 20, timeoutSeconds: 4 });
    expect(() => new Frontend(graphOf(DynamoApiVersion.V1BETA1).graph, 'F', { livenessPeriod: Duration.seconds(5), livenessTimeout: Duration.seconds(6) }))
      .toThrow(/'livenessTimeout' is '6 seconds':.*allowed: at most livenessPeriod \(5 seconds\)/);
    expect(() => new Frontend(graphOf(DynamoApiVersion.V1BETA1).graph, 'F', { readinessPeriod: Duration.millis(500) }))
      .toThrow(/'readinessPeriod' is '500 millis'/);
    expect(() => new AggregatedPool(graphOf(DynamoApiVersion.V1BETA1).graph, 'W', {
      model: MODEL, gpu: GpuProfile.H100_SXM, tensorParallel: 16, readinessPeriod: Duration.seconds(20),
    })).toThrow(/'readinessPeriod' is '20 seconds':.*unset on a multinode pool/);
  });

  test('podSpecPath and mainContainerPath address a component by name in both versions', () => {
    const results = [DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1].map(apiVersion => {
      const { chart, graph } = graphOf(apiVersion);
      new Frontend(graph, 'Frontend');
      const pool = new AggregatedPool(graph, 'Worker', { model: MODEL, gpu: GpuProfile.H100_SXM });
      graph.apiObject.addJsonPatch(
        JsonPatch.add(`${pool.podSpecPath}/dnsConfig`, { options: [{ name: 'ndots', value: '2' }] }),
        JsonPatch.add(`${pool.mainContainerPath}/lifecycle`, { preStop: { exec: { command: ['sleep', '5'] } } }),
      );
      return { pool, spec: dgd(synthValid(chart)).spec };
    });
    expect(results[0].pool.podSpecPath).toBe('/spec/components/1/podTemplate/spec');
    expect(results[1].pool.mainContainerPath).toBe('/spec/services/Worker/extraPodSpec/mainContainer');
    const [v1beta1, v1alpha1] = results.map(r => r.spec);
    expect(v1beta1.components[1].podTemplate.spec.dnsConfig).toEqual({ options: [{ name: 'ndots', value: '2' }] });
    expect(mainContainer(v1beta1.components[1]).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(v1alpha1.services.Worker.extraPodSpec.dnsConfig).toEqual({ options: [{ name: 'ndots', value: '2' }] });
    expect(convertV1Alpha1Spec(v1alpha1)).toEqual(normalizeV1Beta1(v1beta1));
  });
});
