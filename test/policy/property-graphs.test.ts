/**
 * Property-based tests: random valid graphs (backend, topology, model, GPU, TP/PP, replicas, router mode, API
 * version, model cache, NetworkPolicies) synthesize objects that validate strictly, deterministically, with a
 * frontend PodDisruptionBudget exactly when the frontend has 2+ replicas, and with no policy finding but the
 * recorded exceptions.
 */
import { App, Chart, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, DynamoPolicy, Frontend, GpuProfile, GraphNetworkPolicies, ModelCache,
  PrefillPool, RouterMode,
} from '../../src';
import { expectValid } from '../support/validate';

/** Models with the tensor-parallel sizes whose weights and KV fit an 80 GB GPU and divide the heads. */
const MODELS: Array<{ id: string; tp: number[] }> = [
  { id: 'Qwen/Qwen3-0.6B', tp: [1, 2, 4] },
  { id: 'Qwen/Qwen3-8B', tp: [1, 2, 4] },
  { id: 'Qwen/Qwen3-32B', tp: [2, 4, 8] },
];

interface PoolSpec { readonly tp: number; readonly pp: number; readonly replicas: number }
interface GraphSpec {
  readonly backend: Backend;
  readonly apiVersion: DynamoApiVersion;
  readonly routerMode: RouterMode;
  readonly model: number;
  readonly gpu: GpuProfile;
  readonly disaggregated: boolean;
  readonly pools: PoolSpec[];
  readonly frontendReplicas: number;
  readonly modelCache: boolean;
  readonly networkPolicies: boolean;
}

const poolSpec = (model: number) => fc.record({
  tp: fc.constantFrom(...MODELS[model].tp),
  pp: fc.constantFrom(1, 2),
  replicas: fc.integer({ min: 1, max: 3 }),
}).filter(p => p.tp * p.pp <= 8);

const graphSpec: fc.Arbitrary<GraphSpec> = fc.integer({ min: 0, max: MODELS.length - 1 }).chain(model => fc.record({
  backend: fc.constantFrom(Backend.VLLM, Backend.SGLANG, Backend.TRTLLM),
  apiVersion: fc.constantFrom(DynamoApiVersion.V1ALPHA1, DynamoApiVersion.V1BETA1),
  routerMode: fc.constantFrom(RouterMode.ROUND_ROBIN, RouterMode.RANDOM, RouterMode.KV),
  model: fc.constant(model),
  gpu: fc.constantFrom(GpuProfile.H100_SXM, GpuProfile.H200_SXM),
  disaggregated: fc.boolean(),
  pools: fc.array(poolSpec(model), { minLength: 2, maxLength: 2 }),
  frontendReplicas: fc.integer({ min: 1, max: 3 }),
  modelCache: fc.boolean(),
  networkPolicies: fc.boolean(),
}));

function build(spec: GraphSpec): App {
  const app = Testing.app();
  const chart = new Chart(app, 'llm', { namespace: 'serving', disableResourceNameHashes: true });
  const model = MODELS[spec.model].id;
  const modelCache = spec.modelCache ? new ModelCache(chart, 'cache', { model, size: Size.gibibytes(100) }) : undefined;
  const graph = new DynamoGraph(chart, 'graph', { backend: spec.backend, apiVersion: spec.apiVersion, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend', { routerMode: spec.routerMode, replicas: spec.frontendReplicas });
  const pool = (p: PoolSpec) => ({ model, gpu: spec.gpu, modelCache, tensorParallel: p.tp, pipelineParallel: p.pp, replicas: p.replicas });
  if (spec.disaggregated) {
    new PrefillPool(graph, 'Prefill', pool(spec.pools[0]));
    new DecodePool(graph, 'Decode', pool(spec.pools[1]));
  } else {
    new AggregatedPool(graph, 'Worker', pool(spec.pools[0]));
  }
  if (spec.networkPolicies) new GraphNetworkPolicies(chart, 'net', { graph });
  return app;
}

describe('random valid graphs', () => {
  test('validate strictly, synthesize deterministically and pass the policy pack', () => {
    fc.assert(fc.property(graphSpec, spec => {
      const first = build(spec);
      const pack = DynamoPolicy.apply(first, { printWarnings: false });
      const yaml = first.synthYaml();
      const objects = first.charts.flatMap(c => c.toJson());
      expectValid(objects);
      expect(objects.filter(o => o.kind === 'DynamoGraphDeployment').map(o => o.apiVersion)).toEqual([spec.apiVersion]);
      expect(pack.findings().filter(f => !f.suppressedBecause).map(f => f.message)).toEqual([]);
      expect(objects.filter(o => o.kind === 'PodDisruptionBudget').length).toBe(spec.frontendReplicas >= 2 ? 1 : 0);
      const second = build(spec);
      DynamoPolicy.apply(second, { printWarnings: false });
      expect(second.synthYaml()).toBe(yaml);
    }), { numRuns: 40 });
  });
});
