import { ComponentType } from './component-type';
import type { DynamoGraph } from './dynamo-graph';
import { WorkerPool, WorkerPoolProps } from './worker-pool';

/**
 * A disaggregated decode pool: engines generate tokens from KV caches a `PrefillPool` computed. A graph with a DecodePool needs a PrefillPool.
 */
export class DecodePool extends WorkerPool {
  /**
   * @param graph the graph the pool joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param props model, GPU, engine tuning, scheduling and resources of the pool
   */
  public constructor(graph: DynamoGraph, id: string, props: WorkerPoolProps) {
    super(graph, id, ComponentType.DECODE, 'decode', props);
  }
}
