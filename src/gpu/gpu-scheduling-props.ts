import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

/**
 * Where GPU pods may run and what else they reserve besides GPUs.
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
   * Extra tolerations, added after the `nvidia.com/gpu` (and, on Grace nodes, arm64) tolerations.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];

  /**
   * Tolerate the `nvidia.com/gpu:NoSchedule` taint that GPU node pools usually carry.
   * @default true
   */
  readonly tolerateGpuTaint?: boolean;

  /**
   * CPU cores each pod requests (no CPU limit: throttling stalls the engine's scheduler loop).
   * @default - 4 per whole GPU, 2 per MIG slice
   */
  readonly cpu?: number;

  /**
   * Host memory each pod requests and is limited to (`/dev/shm` is charged to it).
   * @default - 16 GiB per whole GPU, 8 GiB per MIG slice, plus the `/dev/shm` size
   */
  readonly memory?: Size;

  /**
   * Ephemeral storage each pod requests (no limit, so a model download to the container disk is never evicted).
   * @default - 10 GiB; a worker pool that downloads a known model from the Hub (no model cache) requests the
   * checkpoint's size plus 5 GiB when that is more, since the download lands on the node's disk
   */
  readonly ephemeralStorage?: Size;

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
