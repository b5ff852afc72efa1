import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DynamoApiVersion } from './dynamo-api-version';
import type { DynamoComponent } from './dynamo-component';
import { GraphLabels } from './graph-labels';

/** ArgoCD creates a named hook once and never compares or re-applies it (resource hooks, no delete policy). */
const ARGOCD_HOOK = { 'argocd.argoproj.io/hook': 'Sync' };
/** Flux creates an `IfNotPresent` object once and never updates it; `prune: disabled` keeps it when dropped from Git. */
const FLUX_CREATE_ONCE = { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

/**
 * The starting size of a component whose replica count a DynamoGraphDeploymentScalingAdapter owns: the adapter itself,
 * created once with `spec.replicas` set to the component's `replicas`, before the graph.
 *
 * The operator seeds an adapter it creates from the DGD's replica count and never again (operator-facts §3, DGDSA); a
 * DGD that carries that count would be reset on every GitOps sync and fight the Planner or autoscaler. An adapter
 * that already exists is kept: this object is created once (an ArgoCD named Sync hook; Flux `ssa: IfNotPresent`) in
 * the wave before the graph (`GitOps.argoCd`), so the operator adopts it, and the driver scales it from there.
 * @internal
 */
export class ScalingAdapterSeed extends Construct {
  /** The DynamoGraphDeploymentScalingAdapter. */
  public readonly apiObject: ApiObject;

  constructor(component: DynamoComponent, id: string) {
    super(component, id);
    const graph = component.graph;
    const v1alpha1 = graph.apiVersion === DynamoApiVersion.V1ALPHA1;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: graph.apiVersion,
      kind: 'DynamoGraphDeploymentScalingAdapter',
      metadata: {
        name: graph.scalingAdapterName(component),
        namespace: graph.namespace,
        labels: GraphLabels.component(graph, component.componentName),
        annotations: { ...ARGOCD_HOOK, ...FLUX_CREATE_ONCE },
      },
      spec: Lazy.any({
        produce: () => ({
          replicas: component.replicas,
          dgdRef: v1alpha1
            ? { name: graph.name, serviceName: component.componentName }
            : { name: graph.name, componentName: component.componentName },
        }),
      }),
    });
  }
}
