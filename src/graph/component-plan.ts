import { k8s } from 'cdk8s-plus-33';
import { ComponentType } from './component-type';

/**
 * A persistent volume claim mounted into the main container (and any init containers that need it).
 * Renderers lay it out as `spec.pvcs` + `volumeMounts` (v1alpha1) or pod volumes (v1beta1); the pod volume is
 * named after the claim in both, which is what the operator does for v1alpha1 `volumeMounts`.
 * @internal
 */
export interface ClaimMountPlan {
  readonly claimName: string;
  readonly mountPath: string;
}

/**
 * Everything a renderer needs to lay out one DGD component, with no knowledge of the API version.
 * Constructs compute it once at synth; `render-v1beta1.ts` and `render-v1alpha1.ts` only arrange it.
 * @internal
 */
export interface ComponentPlan {
  readonly name: string;
  readonly type: ComponentType;
  /** Undefined when the scaling adapter owns the count. */
  readonly replicas?: number;
  readonly image: string;
  readonly runtimeVersionOverride?: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly workingDir?: string;
  /** Literal and secret-reference env of the main container (graph-wide env comes first, in the graph spec). */
  readonly env: k8s.EnvVar[];
  /** A Secret whose keys all become env vars. */
  readonly envFromSecret?: string;
  /** requests == limits; GPUs under their extended-resource name. */
  readonly resources: k8s.ResourceRequirements;
  readonly claimMounts: ClaimMountPlan[];
  /** Other pod volumes (emptyDir scratch, engine ConfigMaps) and their mounts in the main container. */
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly initContainers: k8s.Container[];
  readonly startupProbe?: k8s.Probe;
  readonly livenessProbe?: k8s.Probe;
  readonly readinessProbe?: k8s.Probe;
  /** `/dev/shm` size, above 0; undefined keeps the operator default (8Gi). */
  readonly sharedMemorySize?: string;
  /** Nodes per replica when the engine spans nodes. */
  readonly nodeCount?: number;
  readonly scalingAdapter: boolean;
  readonly modelRef?: { readonly name: string; readonly revision?: string };
  readonly nodeSelector?: { [key: string]: string };
  readonly affinity?: k8s.Affinity;
  readonly tolerations: k8s.Toleration[];
  readonly terminationGracePeriodSeconds?: number;
  readonly podSecurityContext: k8s.PodSecurityContext;
  readonly securityContext: k8s.SecurityContext;
  readonly podLabels: { [key: string]: string };
  readonly podAnnotations: { [key: string]: string };
  /** Containers beside the main one. */
  readonly sidecars: k8s.Container[];
}

/**
 * Graph-wide settings a renderer lays out beside the components.
 * @internal
 */
export interface GraphPlan {
  readonly backendFramework: string;
  readonly env: k8s.EnvVar[];
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
  /** Set on every pod (the DGD-level field is Grove-only and rejected elsewhere). */
  readonly priorityClassName?: string;
}
