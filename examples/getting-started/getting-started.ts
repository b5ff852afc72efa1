// Users import from 'cdk8s-dynamo'.
import { App, Chart, Size } from 'cdk8s';
import { AggregatedPool, Backend, DynamoGraph, DynamoPlatform, Frontend, GpuProfile, GitOps, ModelCache, RouterMode } from '../../src';

/**
 * The app of docs/getting-started.md, from an empty GPU cluster to an answering endpoint. Three files, applied in
 * this order (or synced at once by Argo CD, whose waves `GitOps.argoCd` stamps):
 * - `platform.k8s.yaml`: the Dynamo operator (it installs the Dynamo CRDs when it starts);
 * - `models.k8s.yaml`: the model cache, a ReadWriteMany claim filled once by a download Job, in a file of its own so
 *   that removing the graph never removes the weights;
 * - `serving.k8s.yaml`: the graph, a frontend and two aggregated vLLM workers that mount the cache.
 * The namespace `llm` and the Secret `hf-token-secret` are created beforehand with kubectl (no secret in Git).
 */
export function synthesize(app: App): void {
  const platform = new Chart(app, 'platform', { disableResourceNameHashes: true });
  new DynamoPlatform(platform, 'Dynamo');

  const model = 'Qwen/Qwen3-0.6B';
  const models = new Chart(app, 'models', { namespace: 'llm', disableResourceNameHashes: true });
  const cache = new ModelCache(models, 'Qwen3', {
    model,
    size: Size.gibibytes(20),
    storageClassName: 'shared-rwx', // a ReadWriteMany class of your cluster (EFS, Filestore, Azure Files, NFS)
    hfTokenSecret: { secretName: 'hf-token-secret', key: 'HF_TOKEN' },
  });

  const serving = new Chart(app, 'serving', { namespace: 'llm', disableResourceNameHashes: true });
  const graph = new DynamoGraph(serving, 'qwen', { backend: Backend.VLLM });
  new Frontend(graph, 'Frontend', { routerMode: RouterMode.KV });
  new AggregatedPool(graph, 'Worker', { model, gpu: GpuProfile.H100_SXM, modelCache: cache, replicas: 2 });

  for (const chart of [platform, models, serving]) GitOps.argoCd(chart);
}
