import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { GpuRequest } from './gpu-request';
import { GpuSchedulingProps } from './gpu-scheduling-props';
import { PropError } from '../common/errors';
import { Sizes } from '../common/sizes';

const GIB = 1024;
const ARCH_LABEL = 'kubernetes.io/arch';

/** Node placement of a GPU pod. */
export interface GpuPlacement {
  readonly nodeSelector?: { readonly [key: string]: string };
  readonly affinity?: k8s.Affinity;
  readonly tolerations: k8s.Toleration[];
}

/**
 * What a pod's GPU devices imply for its main container: the device resource, and the CPU and memory (Quantity
 * strings) it needs by default.
 * @internal
 */
export interface GpuPodResources {
  readonly devices: { [resource: string]: k8s.Quantity };
  readonly cpu: string;
  readonly memory: string;
}

/**
 * Turns a `GpuRequest` and a device count per pod into Kubernetes resources, placement and `/dev/shm` size.
 * Extended resources always go through `k8s.Quantity` (plain strings in resource maps are dropped by cdk8s).
 * @internal
 */
export class GpuPod {
  /** The node label GPU Feature Discovery writes the GPU model (or MIG single-strategy slice) into. */
  public static readonly PRODUCT_LABEL = 'nvidia.com/gpu.product';

  /**
   * Throws unless a pod can get `devices` of `request`: a whole number, one MIG slice at most
   * (NCCL cannot span MIG instances), and no more than one node offers.
   * @param prop the user-facing prop the count comes from, for the error message
   */
  public static validate(scope: IConstruct | string, request: GpuRequest, devices: number, prop = 'gpusPerPod'): void {
    PropError.integer(scope, prop, devices, 1);
    if (request.isMig) {
      PropError.check(devices === 1, scope, prop, devices, '1 with a MIG slice', `${request} gives each pod one isolated slice; tensor/pipeline parallelism cannot span slices`);
    }
    const perNode = request.devicesPerNode;
    if (perNode !== undefined) {
      PropError.check(devices <= perNode, scope, prop, devices, `at most ${perNode} per pod (${request} nodes have ${perNode}); use multinode for more`);
    }
  }

  /**
   * The device resource and default CPU and memory of a pod with `devices` of `request`: 4 CPU and 16 GiB per whole
   * GPU (2 CPU and 8 GiB per MIG slice) plus the `/dev/shm` size, whose tmpfs pages are charged to the pod's memory.
   */
  public static resources(request: GpuRequest, devices: number, props: GpuSchedulingProps = {}, scope: IConstruct | string = 'gpu'): GpuPodResources {
    const perDevice = request.isMig ? { cpu: 2, memoryMib: 8 * GIB } : { cpu: 4, memoryMib: 16 * GIB };
    const memoryMib = perDevice.memoryMib * devices + (GpuPod.sharedMemoryMib(devices, props, scope) ?? 0);
    return {
      devices: { [request.resourceName]: k8s.Quantity.fromNumber(devices) },
      cpu: String(perDevice.cpu * devices),
      memory: Sizes.quantityOfMebibytes(memoryMib),
    };
  }

  /**
   * Node selector, required node affinity and tolerations for the request; `tolerations` come after the GPU's own.
   */
  public static placement(request: GpuRequest, props: GpuSchedulingProps = {}, scope: IConstruct | string = 'gpu',
    tolerations: k8s.Toleration[] = []): GpuPlacement {
    const nodeSelector: { [key: string]: string } = {};
    if (request.gpu?.arm64) nodeSelector[ARCH_LABEL] = 'arm64';
    for (const [key, value] of Object.entries(props.nodeSelector ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      PropError.check(nodeSelector[key] === undefined || nodeSelector[key] === value, scope, `nodeSelector.${key}`, value,
        `'${nodeSelector[key]}'`, `${request} nodes carry ${key}=${nodeSelector[key]}`);
      nodeSelector[key] = value;
    }

    // MIG single exposes slices as nvidia.com/gpu: only the product label tells a slice from a whole GPU.
    const pinProduct = props.targetGpuProduct !== false || request.migStrategy === 'single';
    const expressions: k8s.NodeSelectorRequirement[] = [
      ...(pinProduct && request.productLabel ? [{ key: GpuPod.PRODUCT_LABEL, operator: 'In', values: [request.productLabel] }] : []),
      ...(props.nodeRequirements ?? []),
    ];

    const all: k8s.Toleration[] = [
      ...(props.tolerateGpuTaint !== false ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : []),
      ...(request.gpu?.arm64 ? [{ key: ARCH_LABEL, operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }] : []),
      ...tolerations,
    ];
    const seen = new Set<string>();
    const unique = all.filter(t => {
      const key = JSON.stringify([t.key, t.operator, t.value, t.effect, t.tolerationSeconds]);
      return seen.has(key) ? false : (seen.add(key), true);
    });

    return {
      nodeSelector: Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
      affinity: expressions.length > 0
        ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } }
        : undefined,
      tolerations: unique,
    };
  }

  /**
   * `/dev/shm` size as a Quantity string, or undefined to keep the operator's default (8Gi).
   * Pods with several GPUs get 4 GiB per GPU (at least 8 GiB), capped by `maxSharedMemory` (64 GiB):
   * NCCL's intra-node transport and the engines' multi-process queues live there.
   */
  public static sharedMemory(devices: number, props: GpuSchedulingProps = {}, scope: IConstruct | string = 'gpu'): string | undefined {
    const mib = GpuPod.sharedMemoryMib(devices, props, scope);
    return mib === undefined ? undefined : Sizes.quantityOfMebibytes(mib);
  }

  private static sharedMemoryMib(devices: number, props: GpuSchedulingProps, scope: IConstruct | string): number | undefined {
    if (props.sharedMemory) {
      const mib = Sizes.mebibytes(props.sharedMemory);
      PropError.check(mib > 0, scope, 'sharedMemory', Sizes.quantityOfMebibytes(mib), 'a size above 0');
      return mib;
    }
    if (devices <= 1) return undefined;
    const capMib = Sizes.mebibytes(props.maxSharedMemory ?? Size.gibibytes(64));
    PropError.check(capMib >= devices * GIB, scope, 'maxSharedMemory', Sizes.quantityOfMebibytes(capMib), `at least 1Gi per GPU (${devices}Gi)`);
    return Math.min(capMib, Math.max(8 * GIB, 4 * GIB * devices));
  }
}
