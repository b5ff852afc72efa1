// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  Backend, DecodePool, DynamoGraph, DynamoMonitoring, DynamoPlatform, Frontend, GpuProfile, GraphNetworkPolicies, NetworkPeer, Planner, PrefillPool,
} from '../../src';

/**
 * The two charts of a GitOps repository: the platform (operator) and the graphs, each written to its own file.
 * The graph's pods are isolated by NetworkPolicies: only the ingress controller reaches the frontend.
 */
export function platformAndGraphs(app: App): { platform: Chart; graphs: Chart } {
  const platform = new Chart(app, 'platform', { disableResourceNameHashes: true });
  const dynamo = new DynamoPlatform(platform, 'Dynamo');
  new DynamoMonitoring(platform, 'OperatorMonitoring', {
    namespace: 'dynamo-system',
    namePrefix: 'dynamo',
    frontend: false,
    workers: false,
    planner: false,
    operator: { platform: dynamo },
  });

  const graphs = new Chart(app, 'graphs', { namespace: 'llm', disableResourceNameHashes: true });
  new k8s.KubeNamespace(graphs, 'Namespace', { metadata: { name: 'llm' } });
  const graph = new DynamoGraph(graphs, 'qwen', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  const pool = { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM };
  new PrefillPool(graph, 'Prefill', pool);
  new DecodePool(graph, 'Decode', pool);
  new Planner(graph, 'Planner', { sla: { ttftMs: 300, itlMs: 25 }, maxGpuBudget: 8 });
  new DynamoMonitoring(graphs, 'Monitoring');
  new GraphNetworkPolicies(graphs, 'Network', { graph, frontendClients: [NetworkPeer.namespace('ingress-nginx')] });
  return { platform, graphs };
}
