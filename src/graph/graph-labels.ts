import type { DynamoGraph } from './dynamo-graph';

/**
 * Label keys the Dynamo operator sets on every pod of a graph, and selectors built from them.
 * @internal
 */
export class GraphLabels {
  /** The graph (DynamoGraphDeployment) name. */
  public static readonly GRAPH = 'nvidia.com/dynamo-graph-deployment-name';
  /** The component (service) name. */
  public static readonly COMPONENT = 'nvidia.com/dynamo-component';
  /** The component type: `frontend`, `worker`, `prefill`, `decode`, `planner`... */
  public static readonly COMPONENT_TYPE = 'nvidia.com/dynamo-component-type';

  /** Every pod of the graph. */
  public static graph(graph: DynamoGraph): { [key: string]: string } {
    return { [GraphLabels.GRAPH]: graph.name };
  }

  /** The pods of one component. */
  public static component(graph: DynamoGraph, componentName: string): { [key: string]: string } {
    return { [GraphLabels.GRAPH]: graph.name, [GraphLabels.COMPONENT]: componentName };
  }

  /** The pods of every component of one type (`frontend`, `worker`, ...). */
  public static componentType(graph: DynamoGraph, type: string): { [key: string]: string } {
    return { [GraphLabels.GRAPH]: graph.name, [GraphLabels.COMPONENT_TYPE]: type };
  }
}
