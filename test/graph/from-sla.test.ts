import { App, Chart, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { dgd, mainContainer, synthValid, validationErrors } from './synth';
import {
  Backend, ComponentType, DynamoApiVersion, DynamoGraph, DynamoGraphSlaProps, GpuProfile, HpaPoolAutoscaler, ModelArchitecture, ModelCache,
  Planner, PlanResult, PoolPlan, Quantization, RouterMode, ScalingMetric, ScalingTarget, ServingMode, SlaOptimizer,
} from '../../src';
import { expectValid } from '../support/validate';

const QWEN_8B = 'Qwen/Qwen3-8B';
/** A disaggregated plan with different prefill and decode layouts. */
const DISAGG: DynamoGraphSlaProps = {
  model: QWEN_8B,
  gpu: GpuProfile.H100_SXM,
  mode: ServingMode.DISAGGREGATED,
  backend: Backend.VLLM,
  hardware: { totalGpus: 8 },
  workload: { inputSequenceLength: 2048, outputSequenceLength: 256 },
  sla: { ttftMs: 300, itlMs: 20 },
};

function fromSla(props: Partial<DynamoGraphSlaProps> = {}, chart: Chart = new Chart(Testing.app(), 'test', { namespace: 'llm' })) {
  const graph = DynamoGraph.fromSla(chart, 'qwen', { ...DISAGG, ...props });
  return { chart, graph };
}

/** The value after a flag in an argument list. */
function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

/** The engine limits of a rendered component as the plan writes them, whatever the engine. */
function renderedLimits(component: any, backend: Backend, objects: any[]): { tp: number; batch: number; tokens: number; maxLen: number } {
  const args: string[] = mainContainer(component).args;
  if (backend === Backend.TRTLLM) {
    const cm = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === `qwen-${component.name.toLowerCase()}-engine`);
    const yaml = parse(Object.values<string>(cm.data)[0]);
    return { tp: yaml.tensor_parallel_size, batch: yaml.max_batch_size, tokens: yaml.max_num_tokens, maxLen: yaml.max_seq_len };
  }
  const names = backend === Backend.VLLM
    ? ['--tensor-parallel-size', '--max-num-seqs', '--max-num-batched-tokens', '--max-model-len']
    : ['--tp-size', '--max-running-requests', '--chunked-prefill-size', '--context-length'];
  const [tp, batch, tokens, maxLen] = names.map(n => Number(flag(args, n)));
  return { tp, batch, tokens, maxLen };
}

function expectPoolFollowsPlan(component: any, pool: PoolPlan, backend: Backend, objects: any[]): void {
  expect(renderedLimits(component, backend, objects)).toEqual({
    tp: pool.tensorParallel, batch: pool.batchSize, tokens: pool.maxNumBatchedTokens, maxLen: pool.maxModelLen,
  });
  expect(component.replicas).toBe(pool.workers);
  expect(mainContainer(component).resources.limits['nvidia.com/gpu']).toBe(pool.gpusPerWorker);
}

const planConfigMap = (objects: any[]) => objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'qwen-sla-plan');

describe('DynamoGraph.fromSla', () => {
  test('disaggregated: frontend, prefill and decode pools with the planned workers, parallelism and engine limits', () => {
    const { chart, graph } = fromSla();
    const plan = graph.plan!;
    expect(plan.best.mode).toBe(ServingMode.DISAGGREGATED);
    expect(graph.backend).toBe(Backend.VLLM);
    expect(graph.components.map(c => [c.componentName, c.type])).toEqual([
      ['Frontend', ComponentType.FRONTEND], ['Prefill', ComponentType.PREFILL], ['Decode', ComponentType.DECODE],
    ]);
    expect(graph.workerPools.map(p => p.componentName)).toEqual(['Prefill', 'Decode']);
    const objects = synthValid(chart);
    const [, prefill, decode] = dgd(objects).spec.components;
    expectPoolFollowsPlan(prefill, plan.best.prefill!, Backend.VLLM, objects);
    expectPoolFollowsPlan(decode, plan.best.decode!, Backend.VLLM, objects);
    expect(objects).toMatchSnapshot();
  });

  test.each([Backend.VLLM, Backend.SGLANG, Backend.TRTLLM])('%s: engine flags follow the plan in both modes', (backend) => {
    for (const mode of [ServingMode.AGGREGATED, ServingMode.DISAGGREGATED]) {
      const { chart, graph } = fromSla({ backend, mode, sla: { ttftMs: 1000, itlMs: 50 } });
      const best = graph.plan!.best;
      expect([best.backend, best.mode]).toEqual([backend, mode]);
      const objects = synthValid(chart);
      const workers = dgd(objects).spec.components.filter((c: any) => c.type !== 'frontend');
      const pools = best.aggregated ? [best.aggregated] : [best.prefill!, best.decode!];
      expect(workers).toHaveLength(pools.length);
      workers.forEach((c: any, i: number) => expectPoolFollowsPlan(c, pools[i], backend, objects));
    }
  });

  test('the choice is recorded: short DGD annotations and a ConfigMap with the plan as JSON and tables', () => {
    const { chart, graph } = fromSla();
    const plan = graph.plan!;
    const objects = synthValid(chart);
    const annotations = Object.fromEntries(Object.entries(dgd(objects).metadata.annotations).filter(([k]) => k.startsWith('sla.cdk8s-dynamo.io/')));
    const p = plan.best.prefill!;
    const d = plan.best.decode!;
    expect(annotations).toEqual({
      'sla.cdk8s-dynamo.io/mode': 'disagg',
      'sla.cdk8s-dynamo.io/backend': 'vllm',
      'sla.cdk8s-dynamo.io/prefill': `workers=${p.workers},tp=${p.tensorParallel},pp=1,ep=1,batch=${p.batchSize}`,
      'sla.cdk8s-dynamo.io/decode': `workers=${d.workers},tp=${d.tensorParallel},pp=1,ep=1,batch=${d.batchSize}`,
      'sla.cdk8s-dynamo.io/targets': 'ttft<=300ms,itl<=20ms,isl=2048,osl=256',
      'sla.cdk8s-dynamo.io/predicted': `ttft=${plan.best.ttftMs}ms,itl=${plan.best.itlMs}ms,tok/s/gpu=${plan.best.tokensPerSecondPerGpu},`
        + `tok/s/user=${plan.best.tokensPerSecondPerUser},gpus=${plan.best.gpus}`,
      'sla.cdk8s-dynamo.io/meets-sla': 'true',
      'sla.cdk8s-dynamo.io/calibration': expect.stringMatching(/^[0-9a-f]{12}$/),
      'sla.cdk8s-dynamo.io/plan': 'qwen-sla-plan',
    });
    // Plan annotations stay on the DGD: they are not propagated to the pods (a re-plan must not roll them by itself).
    expect(dgd(objects).spec.annotations).toBeUndefined();

    const cm = planConfigMap(objects);
    expect(cm.metadata).toEqual({ name: 'qwen-sla-plan', namespace: 'llm' });
    expect(JSON.parse(cm.data['plan.json'])).toEqual({ ...plan.toJson(), calibration: annotations['sla.cdk8s-dynamo.io/calibration'] });
    // One line per candidate, so a changed candidate is a one-line diff.
    const jsonLines = cm.data['plan.json'].split('\n');
    expect(jsonLines.length).toBe(plan.top.length + plan.pareto.length + 11);
    const text: string = cm.data['plan.txt'];
    expect(text).toContain(`chosen:     ${plan.summary()}`);
    expect(text).toContain('targets:    TTFT <= 300 ms, ITL <= 20 ms at ISL 2048, OSL 256 tokens');
    expect(text).toContain(`why:        ${plan.best.rationale}`);
    expect(text.split('\n').filter(l => l.startsWith('>'))).toHaveLength(plan.pareto.some(c => c.tokensPerSecondPerGpu === plan.best.tokensPerSecondPerGpu && c.ttftMs === plan.best.ttftMs) ? 2 : 1);
    expect(text.split('\n').filter(l => /^[> ][* ]  (agg|disagg) /.test(l))).toHaveLength(plan.top.length + plan.pareto.length);
  });

  test('deterministic: the same app synthesizes byte-identical YAML', () => {
    const yamlOf = () => {
      const app = Testing.app();
      fromSla({}, new Chart(app, 'test', { namespace: 'llm' }));
      return app.synthYaml();
    };
    const yaml = yamlOf();
    expect(yamlOf()).toBe(yaml);
    expectValid(parseAllDocuments(yaml).map(d => d.toJSON()));
  });

  test('an unreachable SLA fails at construction with the construct path, the closest configuration and the missed limit', () => {
    expect(() => fromSla({ sla: { ttftMs: 5, itlMs: 1 } })).toThrow(
      /^\[test\/qwen\] 'sla' is \{"ttftMs":5,"itlMs":1\}: no configuration of Qwen\/Qwen3-8B on h100-sxm meets it; closest: disagg vllm: .* \(misses TTFT .* ms > 5 ms and ITL .* ms > 1 ms\)\. allowed: targets some configuration can meet.*or set bestEffort$/);
  });

  test('optimizer input errors name the graph too', () => {
    expect(() => fromSla({ hardware: { totalGpus: 0 } })).toThrow(/^\[test\/qwen\] 'hardware\.totalGpus' is 0: allowed: a whole number from 1/);
  });

  test('best effort deploys the closest configuration and says it misses the SLA', () => {
    const { chart, graph } = fromSla({ sla: { ttftMs: 5, itlMs: 1 }, bestEffort: true });
    expect(graph.plan!.meetsSla).toBe(false);
    const objects = synthValid(chart);
    expect(dgd(objects).metadata.annotations['sla.cdk8s-dynamo.io/meets-sla']).toBe('false');
    const text: string = planConfigMap(objects).data['plan.txt'];
    expect(text).toContain(`closest:    ${graph.plan!.summary()} (misses the SLA: best effort)`);
    expect(text).toContain('(none meets the SLA)');
  });

  test('a model outside the catalog needs its architecture', () => {
    expect(() => fromSla({ model: 'acme/secret-model' })).toThrow(
      /^\[test\/qwen\] 'architecture' is undefined: the optimizer needs the architecture of 'acme\/secret-model'\. allowed: ModelArchitecture\.custom\(\.\.\.\) or ModelArchitecture\.fromConfigJson\(\.\.\.\) for a model outside the catalog \(.*Qwen\/Qwen3-8B/);
    const architecture = ModelArchitecture.of(QWEN_8B);
    const { graph } = fromSla({ model: 'acme/secret-model', architecture });
    expect(graph.workerPools.map(p => [p.model, p.architecture])).toEqual([['acme/secret-model', architecture], ['acme/secret-model', architecture]]);
  });

  test('bad backend or mode names the prop', () => {
    expect(() => fromSla({ backend: 'tgi' as Backend })).toThrow(/^\[test\/qwen\] 'backend' is 'tgi': allowed: vllm, sglang, trtllm/);
    expect(() => fromSla({ mode: 'both' as ServingMode })).toThrow(/^\[test\/qwen\] 'mode' is 'both': allowed: agg, disagg/);
  });

  test('an FP8 checkpoint plans and runs an FP8 KV cache (engines would default to the weights\' dtype)', () => {
    const { chart, graph } = fromSla({ model: 'Qwen/Qwen3-32B-FP8', mode: ServingMode.AGGREGATED, sla: { ttftMs: 2000, itlMs: 60 } });
    expect(graph.plan!.toJson().request.kvCacheDtype).toBe('fp8');
    const [, worker] = dgd(synthValid(chart)).spec.components;
    expect(flag(mainContainer(worker).args, '--kv-cache-dtype')).toBe('fp8');
    // The quantization comes from the checkpoint's own config unless given.
    expect(mainContainer(worker).args).not.toContain('--quantization');
  });

  test('a precision other than the checkpoint\'s leaves TRT-LLM out (it runs its checkpoint\'s own)', () => {
    expect(() => fromSla({ backend: Backend.TRTLLM, quantization: Quantization.FP8 })).toThrow(
      /^\[test\/qwen\] 'quantization' is 'fp8': TRT-LLM runs the checkpoint's own precision.*allowed: unset or 'bf16' \(the checkpoint's\) on TRT-LLM/);
    const { graph } = fromSla({ backend: undefined, mode: undefined, quantization: Quantization.FP8 });
    expect(graph.backend).not.toBe(Backend.TRTLLM);
    expect([...graph.plan!.top, ...graph.plan!.pareto].every(c => c.backend !== Backend.TRTLLM)).toBe(true);
  });

  test('graph, frontend, model cache and worker options pass through', () => {
    const chart = new Chart(Testing.app(), 'test');
    const cache = new ModelCache(chart, 'Models', { model: QWEN_8B, size: Size.gibibytes(40), namespace: 'serving' });
    const graph = DynamoGraph.fromSla(chart, 'qwen', {
      ...DISAGG,
      name: 'qwen-sla',
      namespace: 'serving',
      apiVersion: DynamoApiVersion.V1ALPHA1,
      image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.1',
      envFromSecret: 'hf-token-secret',
      labels: { team: 'llm' },
      frontend: { routerMode: RouterMode.KV, replicas: 2 },
      modelCache: cache,
      workers: { nodeSelector: { pool: 'gpu' }, env: { LOG_LEVEL: 'debug' }, extraArgs: ['--enforce-eager'] },
    });
    const objects = synthValid(chart);
    const d = dgd(objects);
    expect(d.metadata).toMatchObject({ name: 'qwen-sla', namespace: 'serving', labels: { team: 'llm' } });
    expect(d.apiVersion).toBe('nvidia.com/v1alpha1');
    expect(d.spec.services.Frontend.replicas).toBe(2);
    for (const name of ['Prefill', 'Decode']) {
      const svc = d.spec.services[name];
      const main = svc.extraPodSpec.mainContainer;
      expect(main.image).toBe('nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.1');
      expect(main.args).toContain('--kv-events-config');
      expect(main.args[main.args.length - 1]).toBe('--enforce-eager');
      expect(flag(main.args, '--model')).toBe(cache.modelPath);
      expect(svc.extraPodSpec.nodeSelector).toEqual({ pool: 'gpu' });
      expect(svc.envs).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
      expect(svc.envFromSecret).toBe('hf-token-secret');
    }
    expect(objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'qwen-sla-sla-plan').metadata.namespace).toBe('serving');
    expect(graph.plan).toBeInstanceOf(PlanResult);
  });

  test('a Planner takes its SLA and GPU budget from the plan and starts the pools at the planned counts', () => {
    const { chart, graph } = fromSla();
    new Planner(graph, 'Planner');
    const objects = synthValid(chart);
    const components = dgd(objects).spec.components;
    const config = JSON.parse(mainContainer(components.find((c: any) => c.name === 'Planner')).args[1]);
    expect(config).toMatchObject({ mode: 'disagg', ttft_ms: 300, itl_ms: 20, max_gpu_budget: 8 });
    // The DGD carries no counts (the adapters own them); the adapters start at the planned counts.
    expect(components.filter((c: any) => ['prefill', 'decode'].includes(c.type)).map((c: any) => [c.replicas, c.scalingAdapter])).toEqual([[undefined, {}], [undefined, {}]]);
    const best = graph.plan!.best;
    expect(best.prefill!.workers + best.decode!.workers).toBeGreaterThan(2);
    const starting = (name: string) => objects.find(o => o.kind === 'DynamoGraphDeploymentScalingAdapter' && o.metadata.name === name)?.spec.replicas ?? 1;
    expect([starting('qwen-prefill'), starting('qwen-decode')]).toEqual([best.prefill!.workers, best.decode!.workers]);
    expect(dgd(objects).metadata.annotations['sla.cdk8s-dynamo.io/prefill']).toBe(`workers=${best.prefill!.workers},tp=${best.prefill!.tensorParallel},`
      + `pp=${best.prefill!.pipelineParallel},ep=${best.prefill!.expertParallel},batch=${best.prefill!.batchSize}`);
  });

  test('explicit Planner settings win over the plan; a plan sized by request rate budgets the GPUs it planned', () => {
    const { chart, graph } = fromSla({ hardware: undefined, workload: { inputSequenceLength: 2048, outputSequenceLength: 256, requestRate: 10 } });
    const planner = new Planner(graph, 'Planner', { sla: { itlMs: 25 } });
    expect(JSON.parse(planner.configJson)).toMatchObject({ ttft_ms: 300, itl_ms: 25, max_gpu_budget: graph.plan!.best.gpus });
    synthValid(chart);
    const { chart: otherChart, graph: other } = fromSla();
    expect(JSON.parse(new Planner(other, 'Planner', { maxGpuBudget: 12, sla: { ttftMs: 250 } }).configJson))
      .toMatchObject({ ttft_ms: 250, itl_ms: 20, max_gpu_budget: 12 });
    synthValid(otherChart);
  });

  test('an autoscaler on a planned pool replaces its planned replicas without complaint', () => {
    const { chart, graph } = fromSla();
    const decode = graph.workerPools.find(p => p.type === ComponentType.DECODE)!;
    new HpaPoolAutoscaler(chart, 'DecodeHpa', { target: ScalingTarget.pool(decode), maxReplicas: 4, metrics: [ScalingMetric.kvCacheUsage(80)] });
    expect(validationErrors(chart)).toEqual([]);
    const [, prefill, d] = dgd(synthValid(chart)).spec.components;
    expect(prefill.replicas).toBe(graph.plan!.best.prefill!.workers);
    expect(d.replicas).toBeUndefined();
  });

  test('property: whatever the targets, the graph runs exactly the plan the optimizer returns, or fails naming the graph', () => {
    const arb = fc.record({
      ttftMs: fc.integer({ min: 20, max: 2000 }),
      itlMs: fc.integer({ min: 5, max: 80 }),
      isl: fc.constantFrom(256, 1024, 4096),
      osl: fc.constantFrom(64, 256, 1024),
      totalGpus: fc.integer({ min: 1, max: 16 }),
      backend: fc.constantFrom(Backend.VLLM, Backend.SGLANG, Backend.TRTLLM),
    });
    fc.assert(fc.property(arb, (a) => {
      const props: Partial<DynamoGraphSlaProps> = {
        mode: undefined,
        backend: a.backend,
        hardware: { totalGpus: a.totalGpus },
        workload: { inputSequenceLength: a.isl, outputSequenceLength: a.osl },
        sla: { ttftMs: a.ttftMs, itlMs: a.itlMs },
      };
      let expected: PlanResult;
      try {
        expected = SlaOptimizer.plan({ ...props, model: ModelArchitecture.of(QWEN_8B), gpu: GpuProfile.H100_SXM, backends: [a.backend] });
      } catch (e) {
        const message = (e as Error).message.replace('[SlaOptimizer.plan]', '[test/qwen]');
        expect(() => fromSla(props)).toThrow(message);
        return;
      }
      const { chart, graph } = fromSla(props);
      expect(graph.plan!.toJson()).toEqual(expected.toJson());
      const objects = synthValid(chart);
      const best = expected.best;
      const pools = best.aggregated ? [best.aggregated] : [best.prefill!, best.decode!];
      const workers = dgd(objects).spec.components.filter((c: any) => c.type !== 'frontend');
      workers.forEach((c: any, i: number) => expectPoolFollowsPlan(c, pools[i], a.backend, objects));
      const gpus = workers.reduce((sum: number, c: any) => sum + c.replicas * mainContainer(c).resources.limits['nvidia.com/gpu'], 0);
      expect(gpus).toBe(best.gpus);
      expect(gpus).toBeLessThanOrEqual(a.totalGpus);
    }), { numRuns: 25 });
  });

  test('several graphs from SLAs in one app keep their own plans', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'llm' });
    const a = DynamoGraph.fromSla(chart, 'a', { ...DISAGG });
    const b = DynamoGraph.fromSla(chart, 'b', { ...DISAGG, mode: ServingMode.AGGREGATED, sla: { ttftMs: 1000, itlMs: 50 } });
    expect([a.plan!.best.mode, b.plan!.best.mode]).toEqual([ServingMode.DISAGGREGATED, ServingMode.AGGREGATED]);
    expect(synthValid(chart).filter((o: any) => o.kind === 'ConfigMap').map((o: any) => o.metadata.name)).toEqual(['a-sla-plan', 'b-sla-plan']);
  });
});

describe('DynamoGraph.fromSla placement', () => {
  test('engines larger than a node of hardware.gpusPerNode span nodes', () => {
    const { chart, graph } = fromSla({
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      mode: ServingMode.AGGREGATED,
      backend: Backend.VLLM,
      hardware: { totalGpus: 8, gpusPerNode: 2, minGpusPerEngine: 4 },
      sla: { ttftMs: 3000, itlMs: 100 },
    });
    const pool = graph.plan!.best.aggregated!;
    expect(pool.gpusPerWorker).toBeGreaterThan(2);
    const [worker] = graph.workerPools;
    expect([worker.nodeCount, worker.gpusPerPod]).toEqual([pool.gpusPerWorker / 2, 2]);
    const [, rendered] = dgd(synthValid(chart)).spec.components;
    expect(rendered.multinode).toEqual({ nodeCount: pool.gpusPerWorker / 2 });
    expect(mainContainer(rendered).resources.limits['nvidia.com/gpu']).toBe(2);
  });
});
