import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GraphLabels } from './graph-labels';
import { PropError } from '../common/errors';
import type { DynamoGraph } from '../graph/dynamo-graph';

/**
 * Props of a `FrontendDisruptionBudget`.
 */
export interface FrontendDisruptionBudgetProps {
  /** The graph whose frontend the budget protects. It must have a Frontend with 2 or more replicas. */
  readonly graph: DynamoGraph;
  /**
   * Frontend pods a voluntary disruption (node drain, cluster upgrade) may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/**
 * A PodDisruptionBudget for a graph's multi-replica frontend: node drains take its pods down one at a time, so the
 * OpenAI endpoint stays up. The Dynamo operator creates none.
 *
 * The budget selects the frontend pods by the labels the operator puts on them
 * (`nvidia.com/dynamo-graph-deployment-name` and `nvidia.com/dynamo-component`), and lets unhealthy pods be evicted
 * so a crash-looping frontend never blocks a drain.
 */
export class FrontendDisruptionBudget extends Construct {
  /** The PodDisruptionBudget. */
  public readonly apiObject: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: FrontendDisruptionBudgetProps) {
    super(scope, id);
    const frontend = props.graph.frontend;
    PropError.check(frontend !== undefined, this, 'graph', props.graph.node.path, 'a graph with a Frontend', 'there are no frontend pods to protect');
    const replicas = frontend!.replicas;
    PropError.check(replicas >= 2, this, 'graph', `${frontend!.node.path} with ${replicas} replica(s)`,
      'a Frontend with 2 or more replicas', 'a budget for a single pod either blocks drains or protects nothing');
    const maxUnavailable = props.maxUnavailable ?? 1;
    PropError.integer(this, 'maxUnavailable', maxUnavailable, 1, replicas - 1);

    this.apiObject = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: {
        name: `${props.graph.name}-${frontend!.componentName.toLowerCase()}`,
        namespace: props.graph.namespace,
      },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
        selector: { matchLabels: GraphLabels.component(props.graph, frontend!.componentName) },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
