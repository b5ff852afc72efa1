import { Chart, Testing } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool } from '../../src';

/** A disaggregated vLLM graph in namespace `llm`; its pools' scaling adapters follow the Planner and autoscalers unless `scalingAdapter` is given. */
export interface DisaggFixture {
  readonly chart: Chart;
  readonly graph: DynamoGraph;
  readonly prefill: PrefillPool;
  readonly decode: DecodePool;
  readonly frontend: Frontend;
}

export function disaggGraph(props: { backend?: Backend; scalingAdapter?: boolean; namespace?: string } = {}): DisaggFixture {
  const chart = Testing.chart();
  const graph = new DynamoGraph(chart, 'qwen', { backend: props.backend ?? Backend.VLLM, namespace: props.namespace ?? 'llm' });
  const frontend = new Frontend(graph, 'Frontend');
  const pool = { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, scalingAdapter: props.scalingAdapter };
  const prefill = new PrefillPool(graph, 'Prefill', pool);
  const decode = new DecodePool(graph, 'Decode', { ...pool, tensorParallel: 2 });
  return { chart, graph, prefill, decode, frontend };
}
