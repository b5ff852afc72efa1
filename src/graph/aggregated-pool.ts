import { ComponentType } from './component-type';
import type { DynamoGraph } from './dynamo-graph';
import { WorkerPool, WorkerPoolProps } from './worker-pool';

/**
 * An aggregated worker pool: each engine runs both prefill and decode. Use it alone (no PrefillPool/DecodePool in the graph).
 */
export class AggregatedPool extends WorkerPool {
  public constructor(graph: DynamoGraph, id: string, props: WorkerPoolProps) {
    super(graph, id, ComponentType.WORKER, 'aggregated', props);
  }
}
