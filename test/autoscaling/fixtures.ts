import { Chart, Testing } from 'cdk8s';
import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool } from '../../src';

/** A disaggregated vLLM graph in namespace `llm` whose pools have scaling adapters. */
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
  const pool = { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, scalingAdapter: props.scalingAdapter ?? true };
  const prefill = new PrefillPool(graph, 'Prefill', pool);
  const decode = new DecodePool(graph, 'Decode', { ...pool, tensorParallel: 2 });
  return { chart, graph, prefill, decode, frontend };
}
