/**
 * The bad-input catalog: wrong props across the whole library, each refused with a message that names the
 * construct path (or factory), the prop, the value and what is allowed. Eager checks throw at construction;
 * cross-construct checks throw when the app validates (`cdk8s synth`), before anything is written.
 */
import { App, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import {
  AggregatedPool, Backend, DecodePool, DynamoGraph, DynamoGraphDeploymentRequest, DynamoModel, DynamoMonitoring,
  DynamoPlatform, DynamoPolicy, Etcd, Frontend, FrontendDisruptionBudget, HpaPoolAutoscaler, ModelArchitecture,
  DynamoGraphSlaProps, ModelCache, Nats, NatsConnection, NetworkPeer, OperatorScope, PlanRequest, PlanResult, Planner, PrefillPool,
  ScalingMetric, ScalingTarget, SlaOptimizer,
} from '../../src';
import { GpuProfile } from '../../src/gpu/gpu-profile';
import { GpuRequest } from '../../src/gpu/gpu-request';

const MODEL = 'Qwen/Qwen3-0.6B';
const H100 = GpuProfile.H100_SXM;

function chart(): Chart {
  return Testing.chart();
}

function graph(props: Partial<ConstructorParameters<typeof DynamoGraph>[2]> = {}, scope: Chart = chart()): DynamoGraph {
  return new DynamoGraph(scope, 'g', { backend: Backend.VLLM, ...props });
}

/** A valid disaggregated graph with a frontend, for constructs that attach to one. */
function disagg(frontendReplicas = 1): DynamoGraph {
  const g = graph();
  new Frontend(g, 'Frontend', { replicas: frontendReplicas });
  new PrefillPool(g, 'Prefill', { model: MODEL, gpu: H100 });
  new DecodePool(g, 'Decode', { model: MODEL, gpu: H100 });
  return g;
}

/** `DynamoGraph.fromSla` of Qwen3-8B on 8 H100s with modest targets, with `props` replacing parts of it. */
function slaGraph(props: Partial<DynamoGraphSlaProps>): DynamoGraph {
  return DynamoGraph.fromSla(chart(), 'g', {
    model: 'Qwen/Qwen3-8B',
    gpu: H100,
    hardware: { totalGpus: 8 },
    workload: { inputSequenceLength: 1024, outputSequenceLength: 128 },
    sla: { ttftMs: 1000, itlMs: 50 },
    ...props,
  });
}

/** `SlaOptimizer.plan` of Qwen3-8B on 8 H100s, with `request` replacing parts of it. */
function plan(request: Partial<PlanRequest>): PlanResult {
  return SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-8B'), gpu: H100, hardware: { totalGpus: 8 }, ...request });
}

/** Runs the app's validations as `cdk8s synth` does. */
function synth(c: Chart): void {
  Testing.synth(c);
}

interface BadInput {
  /** What the user got wrong. */
  readonly name: string;
  /** Builds (and, for cross-construct checks, synthesizes) the bad input. */
  readonly build: () => unknown;
  /** Construct path or factory the message names. */
  readonly path: string;
  readonly prop: string;
  /** The value as the message shows it. */
  readonly value: string;
  /** A fragment of what is allowed. */
  readonly allowed: string;
}

const CATALOG: BadInput[] = [
  // graph
  { name: 'graph name with upper case', build: () => graph({ name: 'Bad_Name' }), path: 'test/g', prop: 'name', value: "'Bad_Name'", allowed: 'lower-case letters' },
  { name: 'literal credential in graph env', build: () => graph({ env: { HF_TOKEN: 'hf_abc' } }), path: 'test/g', prop: 'env.HF_TOKEN', value: "'<redacted>'", allowed: "a secret reference in 'secretEnv'" },
  { name: 'label value with a space', build: () => graph({ labels: { team: 'has space' } }), path: 'test/g', prop: 'labels.team', value: "'has space'", allowed: 'a label value' },
  { name: 'empty graph', build: () => synth(graph().node.scope as Chart), path: 'test/g', prop: 'components', value: '0', allowed: 'at least one component' },
  {
    name: 'decode pool without prefill pool',
    build: () => { const g = graph(); new DecodePool(g, 'Decode', { model: MODEL, gpu: H100 }); synth(g.node.scope as Chart); },
    path: 'test/g',
    prop: 'components',
    value: '["Decode:decode"]',
    allowed: 'a disaggregated graph with both a PrefillPool and a DecodePool',
  },
  { name: 'component name with underscore', build: () => new Frontend(graph(), 'F', { componentName: 'bad_name' }), path: 'test/g/F', prop: 'componentName', value: "'bad_name'", allowed: "letters, digits and '-'" },
  {
    name: 'two components whose names differ only in case',
    build: () => { const g = graph(); new Frontend(g, 'Frontend'); new Frontend(g, 'Other', { componentName: 'frontend' }); },
    path: 'test/g/Other',
    prop: 'componentName',
    value: "'frontend'",
    allowed: 'a name unique in the graph, ignoring case',
  },
  { name: 'negative replicas', build: () => new AggregatedPool(graph(), 'W', { model: MODEL, replicas: -1 }), path: 'test/g/W', prop: 'replicas', value: '-1', allowed: 'a whole number from 0 to' },
  { name: 'frontend startup timeout too short', build: () => new Frontend(graph(), 'F', { startupTimeout: Duration.seconds(5) }), path: 'test/g/F', prop: 'startupTimeout', value: "'5 seconds'", allowed: 'at least 10 seconds' },
  { name: 'graph runtimeVersionOverride not MAJOR.MINOR.PATCH', build: () => graph({ runtimeVersionOverride: 'v1.4' }), path: 'test/g', prop: 'runtimeVersionOverride', value: "'v1.4'", allowed: 'MAJOR.MINOR.PATCH' },

  // worker pools and GPUs
  { name: 'TP that does not divide the heads', build: () => new AggregatedPool(graph(), 'W', { model: MODEL, gpu: H100, tensorParallel: 3 }), path: 'test/g/W', prop: 'tensorParallel', value: '3', allowed: "a divisor of the model's 16 attention heads" },
  {
    name: 'TP x PP beyond the nodes of one replica',
    build: () => new AggregatedPool(graph(), 'W', { model: 'Qwen/Qwen3-32B', gpu: H100, tensorParallel: 8, pipelineParallel: 2, nodeCount: 1 }),
    path: 'test/g/W',
    prop: 'tensorParallel',
    value: '8',
    allowed: 'a parallelism needing at most gpusPerNode x nodeCount',
  },
  {
    name: 'MIG slice with TP 2',
    build: () => new AggregatedPool(graph(), 'W', { model: MODEL, gpuRequest: GpuRequest.mig(GpuProfile.A100_SXM4_80GB.mig('3g.40gb')), tensorParallel: 2 }),
    path: 'test/g/W',
    prop: 'tensorParallel',
    value: '2',
    allowed: '1',
  },
  {
    name: '70B BF16 weights on one H100',
    build: () => new AggregatedPool(graph(), 'W', { model: 'meta-llama/Meta-Llama-3.1-70B', gpu: H100 }),
    path: 'test/g/W',
    prop: 'tensorParallel',
    value: '1',
    allowed: 'a parallelism that leaves at most 80 GiB of weights per',
  },
  {
    name: 'both gpu and gpuRequest',
    build: () => new AggregatedPool(graph(), 'W', { model: MODEL, gpu: H100, gpuRequest: GpuRequest.whole(H100) }),
    path: 'test/g/W',
    prop: 'gpuRequest',
    value: '',
    allowed: 'either gpu or gpuRequest, not both',
  },
  {
    name: 'nodeCount that does not divide the engine GPUs',
    build: () => new AggregatedPool(graph(), 'W', { model: 'Qwen/Qwen3-32B', gpu: H100, tensorParallel: 4, nodeCount: 3 }),
    path: 'test/g/W',
    prop: 'nodeCount',
    value: '3',
    allowed: "a divisor of the engine's 4 GPUs",
  },
  { name: 'pool backend differs from the graph', build: () => new AggregatedPool(graph(), 'W', { model: MODEL, gpu: H100, backend: Backend.SGLANG }), path: 'test/g/W', prop: 'backend', value: "'sglang'", allowed: "the graph's backend 'vllm'" },
  { name: 'MIG profile a GPU lacks', build: () => GpuProfile.A100_SXM4_80GB.mig('1g.6gb'), path: 'GpuProfile a100-sxm4-80gb', prop: 'mig', value: "'1g.6gb'", allowed: '1g.10gb' },
  { name: 'MIG on a GPU without MIG', build: () => GpuProfile.L4.mig('1g.6gb'), path: 'GpuProfile l4', prop: 'mig', value: "'1g.6gb'", allowed: 'a GPU with MIG' },
  { name: 'unknown GPU', build: () => GpuProfile.of('h900'), path: 'GpuProfile.of', prop: 'name', value: "'h900'", allowed: 'h100-sxm' },
  {
    name: 'custom GPU with negative memory',
    build: () => GpuProfile.custom({ name: 'x', memoryGiB: -1, memoryBandwidthGBps: 1, bf16Tflops: 1, productLabel: 'X' }),
    path: 'GpuProfile.custom',
    prop: 'memoryGiB',
    value: '-1',
    allowed: 'a positive number',
  },

  // model catalog and cache
  { name: 'model not in the catalog', build: () => ModelArchitecture.of('acme/unknown-7b'), path: 'ModelArchitecture.of', prop: 'huggingFaceId', value: "'acme/unknown-7b'", allowed: 'one of ' },
  {
    name: 'custom architecture with zero layers',
    build: () => ModelArchitecture.custom({ name: 'm', numLayers: 0, hiddenSize: 1024, numAttentionHeads: 8, numKeyValueHeads: 8, intermediateSize: 4096, vocabSize: 32000 }),
    path: 'ModelArchitecture.custom',
    prop: 'numLayers',
    value: '0',
    allowed: 'a whole number >= 1',
  },
  { name: 'model cache for a non-HF id', build: () => new ModelCache(chart(), 'c', { model: 'qwen', size: Size.gibibytes(10) }), path: 'test/c', prop: 'model', value: "'qwen'", allowed: 'a Hugging Face id' },
  { name: 'model cache of size zero', build: () => new ModelCache(chart(), 'c', { model: MODEL, size: Size.gibibytes(0) }), path: 'test/c', prop: 'size', value: "'0Gi'", allowed: 'a size above 0' },
  { name: 'model cache backoffLimit above 100', build: () => new ModelCache(chart(), 'c', { model: MODEL, size: Size.gibibytes(10), backoffLimit: 101 }), path: 'test/c', prop: 'backoffLimit', value: '101', allowed: 'a whole number from 0 to 100' },
  {
    name: 'pool mounting a cache of another model',
    build: () => {
      const g = graph();
      const cache = new ModelCache(g.node.scope!, 'c', { model: MODEL, size: Size.gibibytes(10) });
      new AggregatedPool(g, 'W', { model: 'Qwen/Qwen3-8B', gpu: H100, modelCache: cache });
    },
    path: 'test/g/W',
    prop: 'modelCache',
    value: "'Qwen/Qwen3-0.6B'",
    allowed: "a ModelCache of 'Qwen/Qwen3-8B'",
  },

  // platform
  { name: 'platform namespace with underscore', build: () => new DynamoPlatform(chart(), 'Platform', { namespace: 'Dynamo_System' }), path: 'test/Platform', prop: 'namespace', value: "'Dynamo_System'", allowed: 'a DNS-1123 label' },
  { name: 'release name too long', build: () => new DynamoPlatform(chart(), 'Platform', { releaseName: 'r'.repeat(41) }), path: 'test/Platform', prop: 'releaseName', value: `'${'r'.repeat(41)}'`, allowed: 'at most 31 characters' },
  { name: 'operator version latest', build: () => new DynamoPlatform(chart(), 'Platform', { version: 'latest' }), path: 'test/Platform', prop: 'version', value: "'latest'", allowed: 'a semantic version' },
  { name: 'registry given as a URL', build: () => new DynamoPlatform(chart(), 'Platform', { registry: 'https://nvcr.io' }), path: 'test/Platform', prop: 'registry', value: "'https://nvcr.io'", allowed: 'a registry host' },
  { name: 'Prometheus endpoint without scheme', build: () => new DynamoPlatform(chart(), 'Platform', { prometheusEndpoint: 'prometheus:9090' }), path: 'test/Platform', prop: 'prometheusEndpoint', value: "'prometheus:9090'", allowed: 'an http(s) URL' },
  { name: 'NATS address with http scheme', build: () => new DynamoPlatform(chart(), 'Platform', { nats: NatsConnection.external('http://nats:4222') }), path: 'test/Platform', prop: 'nats', value: "'http://nats:4222'", allowed: 'NATS URLs' },
  { name: 'NATS name with capitals', build: () => new Nats(chart(), 'Nats', { name: 'NATS' }), path: 'test/Nats', prop: 'name', value: "'NATS'", allowed: 'a DNS-1123 label' },
  { name: 'etcd name with a dot', build: () => new Etcd(chart(), 'Etcd', { name: 'etcd.main' }), path: 'test/Etcd', prop: 'name', value: "'etcd.main'", allowed: 'a DNS-1123 label' },
  {
    name: 'two cluster-wide operators in one app',
    build: () => {
      const app = new App({ outdir: Testing.app().outdir });
      new DynamoPlatform(new Chart(app, 'one'), 'Platform', { operatorScope: OperatorScope.clusterWide() });
      new DynamoPlatform(new Chart(app, 'two'), 'Platform', { operatorScope: OperatorScope.clusterWide() });
      app.synth();
    },
    path: 'one/Platform',
    prop: 'operatorScope',
    value: "'OperatorScope.clusterWide()'",
    allowed: 'one cluster-wide DynamoPlatform per cluster',
  },
  { name: 'monitoring all namespaces and a list', build: () => new DynamoMonitoring(chart(), 'M', { allNamespaces: true, watchNamespaces: ['a'] }), path: 'test/M', prop: 'watchNamespaces', value: '["a"]', allowed: 'unset when allNamespaces is true' },

  // planner and autoscaling
  { name: 'planner TTFT target of zero', build: () => new Planner(disagg(), 'P', { sla: { ttftMs: 0 } }), path: 'test/g/P', prop: 'sla.ttftMs', value: '0', allowed: 'a positive number of milliseconds' },
  { name: 'two planner replicas', build: () => new Planner(disagg(), 'P', { replicas: 2 }), path: 'test/g/P', prop: 'replicas', value: '2', allowed: 'a whole number from 0 to 1' },
  { name: 'planner min budget above max', build: () => new Planner(disagg(), 'P', { minGpuBudget: 9 }), path: 'test/g/P', prop: 'minGpuBudget', value: '9', allowed: 'at most maxGpuBudget (8)' },
  {
    name: 'planner budget below its pools',
    build: () => { const g = disagg(); new Planner(g, 'P', { maxGpuBudget: 1 }); synth(g.node.scope as Chart); },
    path: 'test/g/P',
    prop: 'maxGpuBudget',
    value: '1',
    allowed: 'at least 2 GPUs',
  },
  {
    name: 'autoscaler max below min',
    build: () => {
      const g = disagg();
      new HpaPoolAutoscaler(g.node.scope!, 'Hpa', {
        target: ScalingTarget.pool(g.components.find(c => c.componentName === 'Decode')!),
        minReplicas: 2,
        maxReplicas: 1,
        metrics: [ScalingMetric.cpuUtilization(80)],
      });
    },
    path: 'test/Hpa',
    prop: 'maxReplicas',
    value: '1',
    allowed: 'a whole number >= 2',
  },
  {
    name: 'autoscaling a pool whose scaling adapter is turned off',
    build: () => {
      const g = graph({}, new Chart(Testing.app(), 'test', { namespace: 'llm' }));
      const pool = new AggregatedPool(g, 'W', { model: MODEL, gpu: H100, scalingAdapter: false });
      new HpaPoolAutoscaler(g.node.scope!, 'Hpa', { target: ScalingTarget.pool(pool), maxReplicas: 4, metrics: [ScalingMetric.cpuUtilization(80)] });
      synth(g.node.scope as Chart);
    },
    path: 'test/g/W',
    prop: 'scalingAdapter',
    value: 'false',
    allowed: 'true or unset on a component a Planner or autoscaler scales',
  },

  // SLA optimizer and graphs built from it
  {
    name: 'fromSla with an SLA nothing meets and no bestEffort',
    build: () => slaGraph({ sla: { ttftMs: 5, itlMs: 1 } }),
    path: 'test/g',
    prop: 'sla',
    value: '{"ttftMs":5,"itlMs":1}',
    allowed: 'targets some configuration can meet',
  },
  { name: 'fromSla with an input length of zero', build: () => slaGraph({ workload: { inputSequenceLength: 0 } }), path: 'test/g', prop: 'workload.inputSequenceLength', value: '0', allowed: 'a whole number from 1 to' },
  { name: 'fromSla with a fractional output length', build: () => slaGraph({ workload: { outputSequenceLength: 12.5 } }), path: 'test/g', prop: 'workload.outputSequenceLength', value: '12.5', allowed: 'a whole number from 1 to' },
  {
    name: 'fromSla with ISL + OSL beyond the model context',
    build: () => slaGraph({ workload: { inputSequenceLength: 40000, outputSequenceLength: 4000 } }),
    path: 'test/g',
    prop: 'workload.inputSequenceLength',
    value: '40000',
    allowed: "ISL + OSL within the model's context",
  },
  {
    name: 'fromSla of a model outside the catalog without architecture',
    build: () => slaGraph({ model: 'acme/unknown-7b' }),
    path: 'test/g',
    prop: 'architecture',
    value: 'undefined',
    allowed: 'ModelArchitecture.custom(...)',
  },
  { name: 'fromSla with a GPU budget of zero', build: () => slaGraph({ hardware: { totalGpus: 0 } }), path: 'test/g', prop: 'hardware.totalGpus', value: '0', allowed: 'a whole number from 1 to' },
  { name: 'fromSla with neither GPU budget nor request rate', build: () => slaGraph({ hardware: {} }), path: 'test/g', prop: 'hardware.totalGpus', value: 'undefined', allowed: 'a GPU budget (a whole number >= 1), or unset with a workload.requestRate' },
  {
    name: 'fromSla with a GPU budget too small for the model',
    build: () => slaGraph({ model: 'meta-llama/Meta-Llama-3.1-405B', hardware: { totalGpus: 2 } }),
    path: 'test/g',
    prop: 'hardware.totalGpus',
    value: '2',
    allowed: 'enough GPUs for at least one engine that holds the model',
  },
  { name: 'SlaOptimizer.plan with a negative TTFT target', build: () => plan({ sla: { ttftMs: -1 } }), path: 'SlaOptimizer.plan', prop: 'sla.ttftMs', value: '-1', allowed: 'a positive number' },
  { name: 'SlaOptimizer.plan with a request rate of zero', build: () => plan({ workload: { requestRate: 0 } }), path: 'SlaOptimizer.plan', prop: 'workload.requestRate', value: '0', allowed: 'a positive number' },
  { name: 'SlaOptimizer.plan with no backends', build: () => plan({ backends: [] }), path: 'SlaOptimizer.plan', prop: 'backends', value: '[]', allowed: 'one or more of vllm' },
  { name: 'SlaOptimizer.plan with no serving modes', build: () => plan({ modes: [] }), path: 'SlaOptimizer.plan', prop: 'modes', value: '[]', allowed: 'one or more of agg, disagg' },
  {
    name: 'SlaOptimizer.plan with more GPUs per engine at least than at most',
    build: () => plan({ hardware: { totalGpus: 8, minGpusPerEngine: 8, maxGpusPerEngine: 4 } }),
    path: 'SlaOptimizer.plan',
    prop: 'hardware.minGpusPerEngine',
    value: '8',
    allowed: 'at most maxGpusPerEngine (4)',
  },
  { name: 'SlaOptimizer.plan with zero GPUs per node', build: () => plan({ hardware: { totalGpus: 8, gpusPerNode: 0 } }), path: 'SlaOptimizer.plan', prop: 'hardware.gpusPerNode', value: '0', allowed: 'a whole number from 1 to 1024' },

  // DGDR and LoRA
  { name: 'DGDR fractional input tokens', build: () => new DynamoGraphDeploymentRequest(chart(), 'R', { model: MODEL, workload: { inputSequenceLength: 10.5 } }), path: 'test/R', prop: 'workload.inputSequenceLength', value: '10.5', allowed: 'a whole number >= 1' },
  { name: 'DGDR GPU the profiler does not know', build: () => new DynamoGraphDeploymentRequest(chart(), 'R', { model: MODEL, hardware: { gpu: GpuProfile.A10G } }), path: 'test/R', prop: 'hardware.gpu', value: "'a10g'", allowed: 'h100-sxm' },
  {
    name: 'DGDR end-to-end and TTFT targets together',
    build: () => new DynamoGraphDeploymentRequest(chart(), 'R', { model: MODEL, sla: { ttftMs: 100, e2eLatencyMs: 2000 } }),
    path: 'test/R',
    prop: 'sla.e2eLatencyMs',
    value: '2000',
    allowed: 'either e2eLatencyMs or ttftMs/itlMs',
  },
  { name: 'LoRA adapter without weights', build: () => { const g = disagg(); new DynamoModel(g.node.scope!, 'A', { graph: g, modelName: 'a/b' }); }, path: 'test/A', prop: 'source', value: 'undefined', allowed: 'ModelSource.s3' },

  // policy and security
  { name: 'suppressing an unknown rule', build: () => DynamoPolicy.suppress(graph(), 'DYN-XYZ-001', 'because'), path: 'test/g', prop: 'ruleId', value: "'DYN-XYZ-001'", allowed: 'one of DYN-GPU-001' },
  { name: 'suppression without a reason', build: () => DynamoPolicy.suppress(graph(), 'DYN-SEC-006', ''), path: 'test/g', prop: 'reason', value: "''", allowed: 'a non-empty explanation' },
  { name: 'policy storage throughput of zero', build: () => DynamoPolicy.apply(chart(), { storageThroughputMiBps: 0 }), path: 'test/DynamoPolicy', prop: 'storageThroughputMiBps', value: '0', allowed: 'a positive number' },
  {
    name: 'a literal token patched into the DGD (policy rule at synth)',
    build: () => {
      const g = disagg();
      DynamoPolicy.apply(g.node.scope as Chart);
      g.apiObject.addJsonPatch(JsonPatch.add('/spec/env', [{ name: 'HF_TOKEN', value: 'hf_x' }]));
      synth(g.node.scope as Chart);
    },
    path: 'test/g/Resource',
    prop: 'spec.components[Frontend].podTemplate.spec.containers[main].env[HF_TOKEN].value',
    value: "'<redacted literal>'",
    allowed: 'valueFrom.secretKeyRef',
  },
  { name: 'disruption budget for a single frontend', build: () => { const g = disagg(1); new FrontendDisruptionBudget(g.node.scope!, 'Pdb', { graph: g }); }, path: 'test/Pdb', prop: 'graph', value: "'test/g/Frontend with 1 replica(s)'", allowed: 'a Frontend with 2 or more replicas' },
  { name: 'network peer CIDR without prefix', build: () => NetworkPeer.cidr('10.0.0.0'), path: 'NetworkPeer.cidr', prop: 'cidr', value: "'10.0.0.0'", allowed: 'an IPv4 or IPv6 CIDR' },
];

describe('bad-input catalog', () => {
  test('holds at least 40 entries with unique names', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOG.map(e => e.name)).size).toBe(CATALOG.length);
  });

  test.each(CATALOG.map(e => [e.name, e] as const))('%s', (_name, entry) => {
    let message: string | undefined;
    try {
      entry.build();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBeDefined();
    expect(message).toContain(`[${entry.path}] '${entry.prop}' is ${entry.value}`);
    expect(message).toMatch(/ allowed: \S/);
    expect(message!.slice(message!.indexOf(`[${entry.path}] '${entry.prop}'`))).toContain(entry.allowed);
  });
});
