import type { DynamoGraph } from '../graph/dynamo-graph';

/** Pod labels the Dynamo operator sets on every pod of a graph. */
const GRAPH_LABEL = 'nvidia.com/dynamo-graph-deployment-name';
const COMPONENT_LABEL = 'nvidia.com/dynamo-component';
const COMPONENT_TYPE_LABEL = 'nvidia.com/dynamo-component-type';

/**
 * Label selectors for the pods the operator creates for a graph.
 * @internal
 */
export class GraphLabels {
  /** Every pod of the graph. */
  public static graph(graph: DynamoGraph): { [key: string]: string } {
    return { [GRAPH_LABEL]: graph.name };
  }

  /** The pods of one component. */
  public static component(graph: DynamoGraph, componentName: string): { [key: string]: string } {
    return { [GRAPH_LABEL]: graph.name, [COMPONENT_LABEL]: componentName };
  }

  /** The pods of every component of one type (`frontend`, `worker`, ...). */
  public static componentType(graph: DynamoGraph, type: string): { [key: string]: string } {
    return { [GRAPH_LABEL]: graph.name, [COMPONENT_TYPE_LABEL]: type };
  }
}
