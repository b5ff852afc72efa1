// Users import from 'cdk8s-dynamo'.
import { App, Chart } from 'cdk8s';
import { Backend, DynamoGraph, Frontend, FrontendProps } from '../../src';

/** The chart, graph and frontend every multimodal example starts from: namespace `dynamo`, HF token from a Secret. */
export function multimodalGraph(app: App, name: string, backend: Backend, frontend: FrontendProps = {}): DynamoGraph {
  const chart = new Chart(app, name, { namespace: 'dynamo', disableResourceNameHashes: true });
  const graph = new DynamoGraph(chart, name, { backend, envFromSecret: 'hf-token-secret' });
  new Frontend(graph, 'Frontend', frontend);
  return graph;
}
