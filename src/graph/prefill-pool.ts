import { ComponentType } from './component-type';
import type { DynamoGraph } from './dynamo-graph';
import { WorkerPool, WorkerPoolProps } from './worker-pool';

/**
 * A disaggregated prefill pool: engines compute the prompt's KV cache and hand it to a `DecodePool` over NIXL. A graph with a PrefillPool needs a DecodePool.
 */
export class PrefillPool extends WorkerPool {
  /**
   * @param graph the graph the pool joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param props model, GPU, engine tuning, scheduling and resources of the pool
   */
  public constructor(graph: DynamoGraph, id: string, props: WorkerPoolProps) {
    super(graph, id, ComponentType.PREFILL, 'prefill', props);
  }
}
