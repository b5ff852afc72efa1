import { Duration, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { convertV1Alpha1Spec, normalizeV1Beta1 } from './convert-v1alpha1';
import { EXAMPLES } from '../../examples';
import {
  AggregatedPool, Backend, ComponentPodOverrides, DecodePool, DynamoApiVersion, DynamoGraph, Frontend, GpuProfile, GpuRequest, MigStrategy,
  ModelCache, PrefillPool, RouterMode,
} from '../../src';

/** A pod/container override of every kind (ComponentPodOverrides). */
const OVERRIDES: ComponentPodOverrides = {
  volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
  volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }],
  workingDir: '/workspace',
  command: ['/bin/sh', '-c', 'exec "$@"', '--'],
  sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' }],
  tolerations: [{ key: 'spot', operator: 'Exists' }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } },
  securityContext: { runAsGroup: 0 },
  podSecurityContext: { fsGroup: 1000 },
  terminationGracePeriod: Duration.seconds(90),
};

/** Both renderings of a graph's spec, as plain JSON (what the API server receives). */
function bothVersions(graph: DynamoGraph): { v1alpha1: any; v1beta1: any } {
  const json = (v: DynamoApiVersion) => JSON.parse(JSON.stringify(graph._renderSpec(v)));
  return { v1alpha1: json(DynamoApiVersion.V1ALPHA1), v1beta1: json(DynamoApiVersion.V1BETA1) };
}

function graphsOf(scope: { node: { findAll(): any[] } }): DynamoGraph[] {
  return scope.node.findAll().filter((c): c is DynamoGraph => c instanceof DynamoGraph);
}

/**
 * operator-facts §1b: the operator converts v1alpha1 DGDs to v1beta1 (its hub). Whichever version a construct tree
 * is written in, the converted spec must equal the v1beta1 one field by field, or switching `apiVersion` would
 * silently change what runs.
 */
describe('v1alpha1 and v1beta1 renderings mean the same after the operator\'s conversion', () => {
  const cases = EXAMPLES.map(e => [e.name, e.synthesize] as const);

  test.each(cases)('example %s', (_name, synthesize) => {
    const app = Testing.app();
    synthesize(app);
    for (const graph of graphsOf(app)) {
      const { v1alpha1, v1beta1 } = bothVersions(graph);
      expect(convertV1Alpha1Spec(v1alpha1)).toEqual(normalizeV1Beta1(v1beta1));
      // v1beta1 has no spec.pvcs: the claims must reach the pods through the services' volumeMounts.
      for (const pvc of v1alpha1.pvcs ?? []) {
        expect(pvc).toEqual({ name: pvc.name, create: false });
        expect(Object.values<any>(v1alpha1.services).some(s => (s.volumeMounts ?? []).some((m: any) => m.name === pvc.name))).toBe(true);
      }
    }
  });

  test('every worker-pool example is covered, including a graph written as v1alpha1', () => {
    const graphs = EXAMPLES.flatMap(e => {
      const app = Testing.app();
      e.synthesize(app);
      return graphsOf(app);
    });
    expect(graphs.length).toBeGreaterThanOrEqual(15);
    expect(graphs.some(g => g.apiVersion === DynamoApiVersion.V1ALPHA1)).toBe(true);
  });

  test('pools of any backend, topology, GPU request, cache and scaling', () => {
    const gpuRequests = [
      GpuRequest.whole(GpuProfile.H100_SXM),
      GpuRequest.anyGpu(),
      GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb'), MigStrategy.MIXED),
      GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb'), MigStrategy.SINGLE),
    ];
    fc.assert(fc.property(
      fc.constantFrom(Backend.VLLM, Backend.SGLANG, Backend.TRTLLM),
      fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(),
      fc.integer({ min: 0, max: gpuRequests.length - 1 }),
      fc.constantFrom(1, 2, 4, 16),
      fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
      fc.boolean(),
      (backend, disaggregated, kvRouter, cached, scaled, gpuIndex, tp, shmGiB, overridden) => {
        const chart = Testing.chart();
        const graph = new DynamoGraph(chart, 'g', {
          backend,
          namespace: 'ns',
          env: { LOG_LEVEL: 'debug' },
          envFromSecret: 'hf',
          priorityClassName: 'inference',
          labels: { team: 'a' },
          annotations: { 'nvidia.com/enable-grove': 'false' },
        });
        new Frontend(graph, 'Frontend', { routerMode: kvRouter ? RouterMode.KV : RouterMode.ROUND_ROBIN, replicas: 2 });
        const gpuRequest = gpuRequests[gpuIndex];
        const model = 'Qwen/Qwen3-0.6B';
        const modelCache = cached ? new ModelCache(chart, 'models', { model, namespace: 'ns', size: Size.gibibytes(10) }) : undefined;
        const pool = {
          model,
          gpuRequest,
          // MIG slices hold one rank; whole GPUs take the generated TP (16 spans two nodes).
          tensorParallel: gpuRequest.isMig ? 1 : tp,
          nodeCount: !gpuRequest.isMig && tp === 16 && gpuRequest.devicesPerNode === undefined ? 2 : undefined,
          modelCache,
          sharedMemory: shmGiB !== undefined ? Size.gibibytes(shmGiB) : undefined,
          scalingAdapter: scaled,
          env: { EXTRA: '1' },
          secretEnv: { TOKEN_FILE: { secretName: 's', key: 'k' } },
          podLabels: { tier: 'gpu' },
          podAnnotations: { note: 'x' },
          claimMounts: [{ claimName: 'shared', mountPath: '/shared' }],
          ...(overridden ? OVERRIDES : {}),
        };
        if (disaggregated) {
          new PrefillPool(graph, 'Prefill', pool);
          new DecodePool(graph, 'Decode', { ...pool, replicas: scaled ? undefined : 3 });
        } else {
          new AggregatedPool(graph, 'Worker', pool);
        }
        const { v1alpha1, v1beta1 } = bothVersions(graph);
        expect(convertV1Alpha1Spec(v1alpha1)).toEqual(normalizeV1Beta1(v1beta1));
      }), { numRuns: 60 });
  });

  test('the converter fails on a field it does not know, so new output cannot skip this check', () => {
    expect(() => convertV1Alpha1Spec({ services: { W: { componentType: 'worker', ingress: { enabled: true } } } }))
      .toThrow(/unconverted v1alpha1 service field W.ingress/);
    expect(() => convertV1Alpha1Spec({ services: {}, restart: { id: 'x' } })).toThrow(/unconverted v1alpha1 spec field restart/);
  });

  test('the comparison sees a difference: a GPU count or a sub-component type that does not carry over', () => {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM });
    new PrefillPool(graph, 'Prefill', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
    new DecodePool(graph, 'Decode', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, tensorParallel: 2 });
    const { v1alpha1, v1beta1 } = bothVersions(graph);
    const gpu = structuredClone(v1alpha1);
    gpu.services.Decode.resources.limits.gpu = '1';
    expect(convertV1Alpha1Spec(gpu)).not.toEqual(normalizeV1Beta1(v1beta1));
    const sub = structuredClone(v1alpha1);
    delete sub.services.Prefill.subComponentType;
    expect(convertV1Alpha1Spec(sub)).not.toEqual(normalizeV1Beta1(v1beta1));
  });
});
