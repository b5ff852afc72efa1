import { ComponentType } from './component-type';
import type { DynamoGraph } from './dynamo-graph';
import { WorkerPool, WorkerPoolProps } from './worker-pool';

/**
 * An aggregated worker pool: each engine runs both prefill and decode. Use it alone (no PrefillPool/DecodePool in the graph).
 */
export class AggregatedPool extends WorkerPool {
  /**
   * @param graph the graph the pool joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param props model, GPU, engine tuning, scheduling and resources of the pool
   */
  public constructor(graph: DynamoGraph, id: string, props: WorkerPoolProps) {
    super(graph, id, ComponentType.WORKER, 'aggregated', props);
  }
}
