import { k8s } from 'cdk8s-plus-33';
import { ComponentPlan, GraphPlan } from './component-plan';
import { ComponentType } from './component-type';
import { PodLayout } from './render-pod';

/**
 * Lays plans out as a `nvidia.com/v1alpha1` DGD spec: a `services` map with `componentType`/`subComponentType`,
 * `resources` as GPU counts, `envs`/`envFromSecret`, `sharedMemory`, PVCs through `spec.pvcs` + `volumeMounts`,
 * and everything else in `extraPodSpec` (pod fields inline, the engine in `mainContainer`).
 * @internal
 */
export class V1Alpha1Renderer {
  public static spec(graph: GraphPlan, plans: ComponentPlan[]): any {
    const claims = [...new Set(plans.flatMap(p => p.claimMounts.map(m => m.claimName)))].sort();
    const services: { [name: string]: any } = {};
    for (const p of plans) services[p.name] = V1Alpha1Renderer.service(graph, p);
    return {
      backendFramework: graph.backendFramework,
      envs: graph.env.length > 0 ? graph.env.map(k8s.toJson_EnvVar) : undefined,
      labels: graph.labels,
      annotations: graph.annotations,
      // The library creates (and protects) the PVCs itself; the operator only mounts them.
      pvcs: claims.length > 0 ? claims.map(name => ({ name, create: false })) : undefined,
      services,
    };
  }

  private static service(graph: GraphPlan, p: ComponentPlan): any {
    const sub = p.type === ComponentType.PREFILL || p.type === ComponentType.DECODE;
    // extraPodSpec is a PodSpec whose containers are the sidecars: the engine goes in mainContainer.
    const { containers, ...podSpec } = k8s.toJson_PodSpec({ ...PodLayout.podSpec(graph, p, false), containers: p.sidecars }) ?? {};
    return {
      componentType: sub ? ComponentType.WORKER : p.type,
      subComponentType: sub ? p.type : undefined,
      replicas: p.replicas,
      runtimeVersionOverride: p.runtimeVersionOverride,
      multinode: p.nodeCount !== undefined ? { nodeCount: p.nodeCount } : undefined,
      sharedMemory: p.sharedMemorySize !== undefined ? { size: p.sharedMemorySize } : undefined,
      scalingAdapter: p.scalingAdapter ? { enabled: true } : undefined,
      modelRef: p.modelRef,
      envs: p.env.length > 0 ? p.env.map(k8s.toJson_EnvVar) : undefined,
      envFromSecret: p.envFromSecret,
      resources: {
        requests: V1Alpha1Renderer.resourceItem(p.resources.requests ?? {}),
        limits: V1Alpha1Renderer.resourceItem(p.resources.limits ?? {}),
      },
      volumeMounts: p.claimMounts.length > 0 ? p.claimMounts.map(m => ({ name: m.claimName, mountPoint: m.mountPath })) : undefined,
      extraPodMetadata: PodLayout.metadata(p),
      livenessProbe: p.livenessProbe ? k8s.toJson_Probe(p.livenessProbe) : undefined,
      readinessProbe: p.readinessProbe ? k8s.toJson_Probe(p.readinessProbe) : undefined,
      extraPodSpec: {
        ...podSpec,
        containers: containers.length > 0 ? containers : undefined,
        mainContainer: k8s.toJson_Container(PodLayout.mainContainer(p, false)),
      },
    };
  }

  /** `{cpu, memory, gpu, gpuType, custom}`: GPUs as a count, a MIG resource name as `gpuType`. */
  private static resourceItem(resources: { [name: string]: k8s.Quantity }): any {
    const item: any = {};
    const custom: { [name: string]: string } = {};
    for (const [name, quantity] of Object.entries(resources)) {
      const value = String(quantity.value);
      if (name === 'cpu' || name === 'memory') {
        item[name] = value;
      } else if (name === 'nvidia.com/gpu') {
        item.gpu = value;
      } else if (name.startsWith('nvidia.com/mig-')) {
        item.gpu = value;
        item.gpuType = name;
      } else {
        custom[name] = value;
      }
    }
    if (Object.keys(custom).length > 0) item.custom = custom;
    return item;
  }

  private constructor() {}
}
