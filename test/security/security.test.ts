import { Chart, Testing } from 'cdk8s';
import { HpaPoolAutoscaler } from '../../src/autoscaling/hpa-pool-autoscaler';
import { ScalingMetric } from '../../src/autoscaling/scaling-metric';
import { ScalingTarget } from '../../src/autoscaling/scaling-target';
import { Backend } from '../../src/engines/backend';
import { GpuProfile } from '../../src/gpu/gpu-profile';
import { AggregatedPool } from '../../src/graph/aggregated-pool';
import { DynamoGraph, DynamoGraphProps } from '../../src/graph/dynamo-graph';
import { Frontend } from '../../src/graph/frontend';
import { FrontendDisruptionBudget } from '../../src/graph/frontend-disruption-budget';
import { GraphNetworkPolicies } from '../../src/security/graph-network-policies';
import { NetworkPeer } from '../../src/security/network-peer';
import { expectValid } from '../support/validate';

function graph(frontendReplicas = 2, withFrontend = true, props: Partial<DynamoGraphProps> = {}): { chart: Chart; graph: DynamoGraph } {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'llm', disableResourceNameHashes: true });
  const g = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, ...props });
  if (withFrontend) new Frontend(g, 'Frontend', { replicas: frontendReplicas });
  new AggregatedPool(g, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
  return { chart, graph: g };
}

/** A graph whose frontend is scaled by an HPA of this app. */
function autoscaledFrontend(minReplicas: number, props: Partial<DynamoGraphProps> = {}): { chart: Chart; graph: DynamoGraph } {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'llm', disableResourceNameHashes: true });
  const g = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM, ...props });
  const frontend = new Frontend(g, 'Frontend');
  new AggregatedPool(g, 'Worker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
  new HpaPoolAutoscaler(chart, 'Hpa', { target: ScalingTarget.pool(frontend), minReplicas, maxReplicas: 8, metrics: [ScalingMetric.cpuUtilization(70)] });
  return { chart, graph: g };
}

const byKind = (objects: any[], kind: string) => objects.filter(o => o.kind === kind);

const FRONTEND_PDB = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'qwen-frontend', namespace: 'llm' },
  spec: {
    maxUnavailable: 1,
    selector: { matchLabels: { 'nvidia.com/dynamo-graph-deployment-name': 'qwen', 'nvidia.com/dynamo-component': 'Frontend' } },
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  },
};

describe('FrontendDisruptionBudget', () => {
  test('a graph renders one for a frontend with 2+ replicas: operator labels, one pod at a time, unhealthy pods evictable', () => {
    const { chart, graph: g } = graph(3);
    const objects = Testing.synth(chart);
    expectValid(objects);
    expect(byKind(objects, 'PodDisruptionBudget')).toEqual([FRONTEND_PDB]);
    expect(g.frontendDisruptionBudget?.node.path).toBe('c/qwen/FrontendDisruptionBudget');
  });

  test('none for a single frontend replica, without a frontend, or when the graph opts out', () => {
    for (const { chart, graph: g } of [graph(1), graph(2, false), graph(3, true, { frontendDisruptionBudget: false })]) {
      expect(byKind(Testing.synth(chart), 'PodDisruptionBudget')).toEqual([]);
      expect(g.frontendDisruptionBudget).toBeUndefined();
    }
  });

  test('an autoscaled frontend is protected when its autoscaler never goes below 2 replicas', () => {
    const two = autoscaledFrontend(2);
    expect(byKind(Testing.synth(two.chart), 'PodDisruptionBudget')).toEqual([FRONTEND_PDB]);
    expect(two.graph.frontend!.minReplicas).toBe(2);
    const one = autoscaledFrontend(1);
    expect(byKind(Testing.synth(one.chart), 'PodDisruptionBudget')).toEqual([]);
    expect(one.graph.frontend!.minReplicas).toBe(1);
  });

  test('with the default off, your own budget takes another maxUnavailable', () => {
    const { chart, graph: g } = autoscaledFrontend(4, { frontendDisruptionBudget: false });
    const pdb = new FrontendDisruptionBudget(chart, 'Pdb', { graph: g, maxUnavailable: 2 });
    expect(g.frontendDisruptionBudget).toBe(pdb);
    expect(byKind(Testing.synth(chart), 'PodDisruptionBudget')).toEqual([{ ...FRONTEND_PDB, spec: { ...FRONTEND_PDB.spec, maxUnavailable: 2 } }]);
  });

  test.each([
    [() => { const { chart, graph: g } = graph(1); new FrontendDisruptionBudget(chart, 'Pdb', { graph: g }); },
      "[c/Pdb] 'graph' is 'c/qwen/Frontend with 1 replica(s)': a budget for a single pod either blocks drains or protects nothing. allowed: a Frontend with 2 or more replicas"],
    [() => { const { chart, graph: g } = graph(2, false); new FrontendDisruptionBudget(chart, 'Pdb', { graph: g }); },
      "[c/Pdb] 'graph' is 'c/qwen': there are no frontend pods to protect. allowed: a graph with a Frontend"],
    [() => { const { chart, graph: g } = graph(3, true, { frontendDisruptionBudget: false }); new FrontendDisruptionBudget(chart, 'Pdb', { graph: g, maxUnavailable: 3 }); },
      "[c/Pdb] 'maxUnavailable' is 3: allowed: a whole number from 1 to 2"],
    [() => { const { chart, graph: g } = graph(3); new FrontendDisruptionBudget(chart, 'Pdb', { graph: g, maxUnavailable: 2 }); },
      "[c/Pdb] 'graph' is 'c/qwen': 'c/qwen/FrontendDisruptionBudget' already protects its frontend (set frontendDisruptionBudget: false on the graph to define your own). allowed: a graph whose frontend has no PodDisruptionBudget yet"],
    [() => { const { chart, graph: g } = autoscaledFrontend(1); new FrontendDisruptionBudget(chart, 'Pdb', { graph: g }); },
      "[c/Pdb] 'graph' is 'c/qwen/Frontend scaled by 'c/Hpa' from 1 replica(s)': a budget for a single pod either blocks drains or protects nothing. allowed: a Frontend with 2 or more replicas, or scaled by an autoscaler of this app with minReplicas >= 2"],
    [() => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'llm' });
      const g = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
      new Frontend(g, 'Frontend', { scalingAdapter: true });
      new FrontendDisruptionBudget(chart, 'Pdb', { graph: g });
    }, "[c/Pdb] 'graph' is 'c/qwen/Frontend scaled by an autoscaler outside this app': a budget for a single pod"],
  ])('bad input %#', (build, message) => {
    expect(build).toThrow(message);
  });
});

describe('GraphNetworkPolicies', () => {
  test('defaults: default-deny, within-graph, clients to 8000, monitoring namespace, DNS and API server', () => {
    const { chart, graph: g } = graph();
    new GraphNetworkPolicies(chart, 'Net', { graph: g });
    const objects = Testing.synth(chart);
    expectValid(objects);
    const policies = byKind(objects, 'NetworkPolicy');
    expect(policies.map(p => p.metadata.name)).toEqual(['qwen-default-deny', 'qwen-within-graph', 'qwen-frontend-clients', 'qwen-monitoring', 'qwen-egress']);
    expect(policies.every(p => p.metadata.namespace === 'llm')).toBe(true);
    expect(policies[0].spec).toEqual({ podSelector: { matchLabels: { 'nvidia.com/dynamo-graph-deployment-name': 'qwen' } }, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[2].spec.podSelector.matchLabels).toEqual({ 'nvidia.com/dynamo-graph-deployment-name': 'qwen', 'nvidia.com/dynamo-component-type': 'frontend' });
    expect(policies[2].spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8000 }] }]);
    expect(policies).toMatchSnapshot();
  });

  test('restricted clients, monitoring off, API server CIDR, platform namespace and extra egress', () => {
    const { chart, graph: g } = graph();
    new GraphNetworkPolicies(chart, 'Net', {
      graph: g,
      frontendClients: [NetworkPeer.namespace('gateway'), NetworkPeer.pods({ app: 'bench' }, 'load')],
      monitoring: [],
      apiServer: [NetworkPeer.cidr('10.96.0.1/32')],
      platformNamespace: 'dynamo-system',
      extraEgress: [NetworkPeer.cidr('52.0.0.0/8')],
    });
    const policies = byKind(Testing.synth(chart), 'NetworkPolicy');
    expectValid(policies);
    expect(policies.map(p => p.metadata.name)).toEqual(['qwen-default-deny', 'qwen-within-graph', 'qwen-frontend-clients', 'qwen-egress']);
    expect(policies[2].spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } },
      { podSelector: { matchLabels: { app: 'bench' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'load' } } },
    ]);
    expect(policies[3].spec.egress.map((r: any) => [r.to, r.ports?.map((p: any) => p.port)])).toEqual([
      [undefined, [53, 53]],
      [[{ ipBlock: { cidr: '10.96.0.1/32' } }], [443, 6443]],
      [[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dynamo-system' } } }], [4222, 2379]],
      [[{ ipBlock: { cidr: '52.0.0.0/8' } }], undefined],
    ]);
  });

  test('a graph without a frontend gets no client policy', () => {
    const { chart, graph: g } = graph(1, false);
    new GraphNetworkPolicies(chart, 'Net', { graph: g });
    expect(byKind(Testing.synth(chart), 'NetworkPolicy').map(p => p.metadata.name)).not.toContain('qwen-frontend-clients');
  });

  test.each([
    [() => NetworkPeer.namespace('Bad_NS'), "[NetworkPeer.namespace] 'name' is 'Bad_NS': allowed: a namespace name (RFC 1123 label)"],
    [() => NetworkPeer.cidr('10.0.0.0'), "[NetworkPeer.cidr] 'cidr' is '10.0.0.0': allowed: an IPv4 or IPv6 CIDR such as 10.0.0.0/8"],
    [() => NetworkPeer.pods({}), "[NetworkPeer.pods] 'labels' is {}: an empty selector matches everything; use NetworkPeer.anywhere(). allowed: at least one label"],
    [() => { const { chart, graph: g } = graph(); new GraphNetworkPolicies(chart, 'Net', { graph: g, frontendClients: [] }); },
      "[c/Net] 'frontendClients' is []: nobody could reach the frontend. allowed: at least one NetworkPeer"],
    [() => { const { chart, graph: g } = graph(1, false); new GraphNetworkPolicies(chart, 'Net', { graph: g, frontendClients: [NetworkPeer.anywhere()] }); },
      "[c/Net] 'frontendClients' is [\"anywhere\"]: allowed: no frontendClients for a graph without a Frontend"],
    [() => NetworkPeer.pods({ app: 'bench' }, 'Load'), "[NetworkPeer.pods] 'namespace' is 'Load': allowed: a namespace name (RFC 1123 label)"],
    [() => { const { chart, graph: g } = graph(); new GraphNetworkPolicies(chart, 'Net', { graph: g, platformNamespace: 'Dynamo_System' }); },
      "[c/Net] 'platformNamespace' is 'Dynamo_System': allowed: a namespace name (RFC 1123 label)"],
  ])('bad input %#', (build, message) => {
    expect(build).toThrow(message);
  });
});
