import { k8s } from 'cdk8s-plus-33';
import { ComponentPlan, GraphPlan } from './component-plan';

/**
 * The pod and main-container pieces both renderers share; they differ only in where the PVC mounts go.
 * @internal
 */
export class PodLayout {
  /** Pod-level fields. `claimVolumes` adds a volume per PVC mount (v1beta1; v1alpha1 gets them from `spec.pvcs`). */
  public static podSpec(graph: GraphPlan, p: ComponentPlan, claimVolumes: boolean): Omit<k8s.PodSpec, 'containers'> {
    const volumes: k8s.Volume[] = [
      ...(claimVolumes ? p.claimMounts.map(m => ({ name: m.claimName, persistentVolumeClaim: { claimName: m.claimName } })) : []),
      ...p.volumes,
    ];
    return {
      priorityClassName: graph.priorityClassName,
      nodeSelector: PodLayout.nonEmpty(p.nodeSelector),
      affinity: p.affinity,
      tolerations: p.tolerations.length > 0 ? p.tolerations : undefined,
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
      securityContext: p.podSecurityContext,
      volumes: volumes.length > 0 ? volumes : undefined,
      initContainers: p.initContainers.length > 0 ? p.initContainers : undefined,
    };
  }

  /** The main container. `claimMounts` adds the PVC mounts (v1beta1; v1alpha1 lists them in `volumeMounts`). */
  public static mainContainer(p: ComponentPlan, claimMounts: boolean): k8s.Container {
    const mounts: k8s.VolumeMount[] = [
      ...(claimMounts ? p.claimMounts.map(m => ({ name: m.claimName, mountPath: m.mountPath })) : []),
      ...p.volumeMounts,
    ];
    return {
      name: 'main',
      image: p.image,
      command: p.command,
      args: p.args,
      workingDir: p.workingDir,
      volumeMounts: mounts.length > 0 ? mounts : undefined,
      securityContext: p.securityContext,
      startupProbe: p.startupProbe,
    };
  }

  /** Pod metadata, or undefined when there is none. */
  public static metadata(p: ComponentPlan): { labels?: { [key: string]: string }; annotations?: { [key: string]: string } } | undefined {
    const labels = PodLayout.nonEmpty(p.podLabels);
    const annotations = PodLayout.nonEmpty(p.podAnnotations);
    return labels || annotations ? { labels, annotations } : undefined;
  }

  public static nonEmpty<T>(map: { [key: string]: T } | undefined): { [key: string]: T } | undefined {
    return map && Object.keys(map).length > 0 ? map : undefined;
  }

  private constructor() {}
}
