// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, DynamoPlatform, Frontend, GpuProfile, OperatorScope } from '../../src';

/**
 * A development operator that manages only the `team-a` namespace (upstream's namespace-restricted mode: no
 * cluster-wide write access, CRDs come from the cluster-wide operator), and a graph in that namespace. A graph in any
 * other namespace fails `cdk8s synth`, because this operator would never reconcile it.
 */
export function synthesize(app: App): void {
  const platform = new Chart(app, 'team-a-platform', { disableResourceNameHashes: true });
  new DynamoPlatform(platform, 'Dynamo', {
    namespace: 'team-a',
    releaseName: 'team-a',
    operatorScope: OperatorScope.namespaceRestricted(),
  });

  const graphs = new Chart(app, 'team-a-graphs', { namespace: 'team-a', disableResourceNameHashes: true });
  const graph = new DynamoGraph(graphs, 'qwen', { backend: Backend.VLLM, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend');
  new AggregatedPool(graph, 'VllmWorker', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
}
