import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { DynamoGraph } from './dynamo-graph';
import type { Frontend } from './frontend';
import { GraphLabels } from './graph-labels';
import { PropError } from '../common/errors';

/**
 * Props of a `FrontendDisruptionBudget`.
 */
export interface FrontendDisruptionBudgetProps {
  /**
   * The graph whose frontend the budget protects. It must have a Frontend that runs 2 or more replicas (`replicas`,
   * or the `minReplicas` of the autoscaler that scales it), and no budget yet: graphs render one by default
   * (`DynamoGraphOptions.frontendDisruptionBudget`).
   */
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
 * A `DynamoGraph` renders one by default (`maxUnavailable: 1`) as soon as its frontend runs 2 or more replicas.
 * Create your own (for another `maxUnavailable`) on a graph with `frontendDisruptionBudget: false`.
 *
 * The budget selects the frontend pods by the labels the operator puts on them
 * (`nvidia.com/dynamo-graph-deployment-name` and `nvidia.com/dynamo-component`), and lets unhealthy pods be evicted
 * so a crash-looping frontend never blocks a drain.
 */
export class FrontendDisruptionBudget extends Construct {
  /** The frontend and where its replica count comes from, for messages. */
  private static describe(frontend: Frontend): string {
    if (!frontend.scalingAdapterEnabled) return `${frontend.node.path} with ${frontend.replicas} replica(s)`;
    const [scaler] = frontend.scaledBy;
    return scaler ? `${frontend.node.path} scaled by '${scaler.node.path}' from ${frontend.minReplicas} replica(s)`
      : `${frontend.node.path} scaled by an autoscaler outside this app`;
  }

  /** The PodDisruptionBudget. */
  public readonly apiObject: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: FrontendDisruptionBudgetProps) {
    super(scope, id);
    const frontend = props.graph.frontend;
    PropError.check(frontend !== undefined, this, 'graph', props.graph.node.path, 'a graph with a Frontend', 'there are no frontend pods to protect');
    const replicas = frontend!.minReplicas;
    PropError.check(replicas !== undefined && replicas >= 2, this, 'graph', FrontendDisruptionBudget.describe(frontend!),
      'a Frontend with 2 or more replicas, or scaled by an autoscaler of this app with minReplicas >= 2',
      'a budget for a single pod either blocks drains or protects nothing');
    const maxUnavailable = props.maxUnavailable ?? 1;
    PropError.integer(this, 'maxUnavailable', maxUnavailable, 1, replicas! - 1);
    props.graph._registerFrontendBudget(this);

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
