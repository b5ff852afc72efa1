/**
 * Conformance of the library's rendered graphs with the upstream Dynamo CRDs
 * and the operator's admission rules, across backends, API versions and
 * topologies. The CRD part needs ../shared/reference/dynamo/crds beside the
 * repository; without it the schema checks skip (with a notice) and the
 * Kubernetes and admission checks still run.
 */
import { Testing } from 'cdk8s';
import {
  AggregatedPool, Backend, DecodePool, DynamoApiVersion, DynamoGraph, Frontend, GpuProfile, PrefillPool,
} from '../../src';
import { crdSchemasAvailable, validateObjects } from '../support/validate';

const MODEL = 'Qwen/Qwen3-0.6B';
type Topology = 'aggregated' | 'disaggregated' | 'tensor-parallel' | 'multinode';

function synthesize(backend: Backend, apiVersion: DynamoApiVersion, topology: Topology): any[] {
  const chart = Testing.chart();
  const graph = new DynamoGraph(chart, 'llm', { backend, apiVersion, namespace: 'serving' });
  new Frontend(graph, 'Frontend');
  const gpu = GpuProfile.H100_SXM;
  switch (topology) {
    case 'aggregated':
      new AggregatedPool(graph, 'Worker', { model: MODEL, gpu, scalingAdapter: true });
      break;
    case 'disaggregated':
      // Two prefill replicas; decode's scaling adapter is on for an autoscaler defined elsewhere.
      new PrefillPool(graph, 'Prefill', { model: MODEL, gpu, replicas: 2 });
      new DecodePool(graph, 'Decode', { model: MODEL, gpu, scalingAdapter: true });
      break;
    case 'tensor-parallel':
      new AggregatedPool(graph, 'Worker', { model: MODEL, gpu, tensorParallel: 4 });
      break;
    case 'multinode':
      new DecodePool(graph, 'Decode', { model: MODEL, gpu, tensorParallel: 16, nodeCount: 2 });
      new PrefillPool(graph, 'Prefill', { model: MODEL, gpu });
      break;
  }
  const errors = chart.node.findAll().flatMap(c => c.node.validate());
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return Testing.synth(chart);
}

if (!crdSchemasAvailable()) {
  // eslint-disable-next-line no-console
  console.info('conformance: ../shared/reference/dynamo/crds not found: Dynamo CRD schema checks are skipped; Kubernetes and admission checks still run.');
}

const backends = [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM];
const versions = [DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1];
const topologies: Topology[] = ['aggregated', 'disaggregated', 'tensor-parallel', 'multinode'];
const cases = backends.flatMap(b => versions.flatMap(v => topologies.map(t => [b, v, t] as const)));

describe('rendered DynamoGraphDeployments conform', () => {
  it.each(cases)('%s %s %s', (backend, apiVersion, topology) => {
    const objects = synthesize(backend, apiVersion, topology);
    expect(objects.filter(o => o.kind === 'DynamoGraphDeployment')).toHaveLength(1);
    expect(validateObjects(objects)).toEqual([]);
  });

  (crdSchemasAvailable() ? it : it.skip).each(versions)('the check is not vacuous: a stray field in a rendered %s DGD is reported', (apiVersion) => {
    const objects = synthesize(Backend.VLLM, apiVersion, 'disaggregated');
    const dgd = objects.find(o => o.kind === 'DynamoGraphDeployment');
    dgd.spec.notAField = true;
    expect(validateObjects(objects)).toEqual([expect.stringContaining('DynamoGraphDeployment/serving/llm .spec.notAField: unknown field')]);
  });
});
