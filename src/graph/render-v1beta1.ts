import { k8s } from 'cdk8s-plus-33';
import { ComponentPlan, GraphPlan } from './component-plan';
import { PodLayout } from './render-pod';

/**
 * Lays plans out as a `nvidia.com/v1beta1` DGD spec: a `components` list, each with a `podTemplate` whose
 * container `main` carries the engine (the operator merges its defaults into that container by name).
 * @internal
 */
export class V1Beta1Renderer {
  public static spec(graph: GraphPlan, plans: ComponentPlan[]): any {
    return {
      backendFramework: graph.backendFramework,
      env: graph.env.length > 0 ? graph.env.map(k8s.toJson_EnvVar) : undefined,
      labels: graph.labels,
      annotations: graph.annotations,
      components: plans.map(p => V1Beta1Renderer.component(graph, p)),
    };
  }

  private static component(graph: GraphPlan, p: ComponentPlan): any {
    const main: k8s.Container = {
      ...PodLayout.mainContainer(p, true),
      env: p.env.length > 0 ? p.env : undefined,
      envFrom: p.envFromSecret ? [{ secretRef: { name: p.envFromSecret } }] : undefined,
      resources: p.resources,
      livenessProbe: p.livenessProbe,
      readinessProbe: p.readinessProbe,
    };
    return {
      name: p.name,
      type: p.type,
      replicas: p.replicas,
      runtimeVersionOverride: p.runtimeVersionOverride,
      multinode: p.nodeCount !== undefined ? { nodeCount: p.nodeCount } : undefined,
      sharedMemorySize: p.sharedMemorySize,
      scalingAdapter: p.scalingAdapter ? {} : undefined,
      modelRef: p.modelRef,
      podTemplate: k8s.toJson_PodTemplateSpec({
        metadata: PodLayout.metadata(p),
        spec: { ...PodLayout.podSpec(graph, p, true), containers: [main, ...p.sidecars] },
      }),
    };
  }

  private constructor() {}
}
