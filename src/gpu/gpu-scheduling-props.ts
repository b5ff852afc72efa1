import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';

/**
 * Where GPU pods may run, and the size of their `/dev/shm`. CPU, memory and disk are the pool's `resources`;
 * tolerations and affinity beyond the GPU's are the component's (`ComponentPodOverrides`).
 */
export interface GpuSchedulingProps {
  /**
   * Pin pods to nodes whose `nvidia.com/gpu.product` label matches the requested GPU.
   * MIG `single` requests are always pinned to their `-MIG-<profile>` label, which is what identifies the slice.
   * @default true
   */
  readonly targetGpuProduct?: boolean;

  /**
   * Extra node labels pods require (merged into `nodeSelector`).
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Extra node requirements, ANDed with the GPU product requirement in the required node affinity.
   * @default - none
   */
  readonly nodeRequirements?: k8s.NodeSelectorRequirement[];

  /**
   * Tolerate the `nvidia.com/gpu:NoSchedule` taint that GPU node pools usually carry.
   * @default true
   */
  readonly tolerateGpuTaint?: boolean;

  /**
   * Size of the memory-backed `/dev/shm`, overriding the computed size.
   * @default - 4 GiB per GPU with a floor of 8 GiB for pods with more than one GPU (NCCL and the engines'
   * multi-process queues use it), capped by `maxSharedMemory`; the operator's 8 GiB default otherwise
   */
  readonly sharedMemory?: Size;

  /**
   * Upper bound of the computed `/dev/shm` size.
   * @default Size.gibibytes(64)
   */
  readonly maxSharedMemory?: Size;
}
