import { Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GpuRequest } from './gpu-request';
import { GpuSchedulingProps } from './gpu-scheduling-props';
import { PropError } from '../common/errors';

const GIB = 1024;
const ARCH_LABEL = 'kubernetes.io/arch';
const PRODUCT_LABEL = 'nvidia.com/gpu.product';

/** v1alpha1 DGD `resources.requests|limits` item: all strings; `gpuType` replaces the `nvidia.com/gpu` key. */
export interface DgdResourceItem {
  readonly cpu?: string;
  readonly memory?: string;
  readonly gpu?: string;
  readonly gpuType?: string;
  readonly custom?: { readonly [key: string]: string };
}

/** CPU, memory and ephemeral storage of one pod, as Quantity strings. */
interface PodAmounts {
  readonly cpu: string;
  readonly memory: string;
  readonly ephemeralStorage: string;
}

/** Node placement of a GPU pod. */
export interface GpuPlacement {
  readonly nodeSelector?: { readonly [key: string]: string };
  readonly affinity?: k8s.Affinity;
  readonly tolerations: k8s.Toleration[];
}

/**
 * Turns a `GpuRequest` and a device count per pod into Kubernetes resources, placement and `/dev/shm` size.
 * Extended resources always go through `k8s.Quantity` (plain strings in resource maps are dropped by cdk8s).
 * @internal
 */
export class GpuPod {
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

  /** Device, CPU, memory and ephemeral-storage requests; devices and memory have limits equal to requests. */
  public static resources(request: GpuRequest, devices: number, props: GpuSchedulingProps = {}, scope: IConstruct | string = 'gpu'): k8s.ResourceRequirements {
    const r = GpuPod.amounts(request, devices, props, scope);
    return {
      requests: {
        [request.resourceName]: k8s.Quantity.fromNumber(devices),
        'cpu': k8s.Quantity.fromString(r.cpu),
        'memory': k8s.Quantity.fromString(r.memory),
        'ephemeral-storage': k8s.Quantity.fromString(r.ephemeralStorage),
      },
      limits: {
        [request.resourceName]: k8s.Quantity.fromNumber(devices),
        memory: k8s.Quantity.fromString(r.memory),
      },
    };
  }

  /** The same resources in the v1alpha1 DGD `resources` shape (`gpu` count, `gpuType` for MIG mixed, `custom`). */
  public static v1alpha1Resources(request: GpuRequest, devices: number, props: GpuSchedulingProps = {}, scope: IConstruct | string = 'gpu'): { requests: DgdResourceItem; limits: DgdResourceItem } {
    const r = GpuPod.amounts(request, devices, props, scope);
    const gpu = {
      gpu: String(devices),
      ...(request.resourceName !== 'nvidia.com/gpu' ? { gpuType: request.resourceName } : {}),
    };
    return {
      requests: { cpu: r.cpu, memory: r.memory, ...gpu, custom: { 'ephemeral-storage': r.ephemeralStorage } },
      limits: { memory: r.memory, ...gpu },
    };
  }

  /** Node selector, required node affinity and tolerations for the request. */
  public static placement(request: GpuRequest, props: GpuSchedulingProps = {}, scope: IConstruct | string = 'gpu'): GpuPlacement {
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
      ...(pinProduct && request.productLabel ? [{ key: PRODUCT_LABEL, operator: 'In', values: [request.productLabel] }] : []),
      ...(props.nodeRequirements ?? []),
    ];

    const tolerations: k8s.Toleration[] = [
      ...(props.tolerateGpuTaint !== false ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : []),
      ...(request.gpu?.arm64 ? [{ key: ARCH_LABEL, operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }] : []),
      ...(props.tolerations ?? []),
    ];
    const seen = new Set<string>();
    const unique = tolerations.filter(t => {
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
    return mib === undefined ? undefined : GpuPod.quantity(mib);
  }

  private static sharedMemoryMib(devices: number, props: GpuSchedulingProps, scope: IConstruct | string): number | undefined {
    if (props.sharedMemory) {
      const mib = GpuPod.mebibytes(props.sharedMemory);
      PropError.check(mib > 0, scope, 'sharedMemory', GpuPod.quantity(mib), 'a size above 0');
      return mib;
    }
    if (devices <= 1) return undefined;
    const capMib = GpuPod.mebibytes(props.maxSharedMemory ?? Size.gibibytes(64));
    PropError.check(capMib >= devices * GIB, scope, 'maxSharedMemory', GpuPod.quantity(capMib), `at least 1Gi per GPU (${devices}Gi)`);
    return Math.min(capMib, Math.max(8 * GIB, 4 * GIB * devices));
  }

  private static amounts(request: GpuRequest, devices: number, props: GpuSchedulingProps, scope: IConstruct | string): PodAmounts {
    const perDevice = request.isMig ? { cpu: 2, memoryMib: 8 * GIB } : { cpu: 4, memoryMib: 16 * GIB };
    if (props.cpu !== undefined) {
      PropError.check(Number.isFinite(props.cpu) && props.cpu > 0, scope, 'cpu', props.cpu, 'a number of cores above 0');
    }
    const cpu = props.cpu ?? perDevice.cpu * devices;
    // tmpfs pages are charged to the pod's memory cgroup, so the default limit covers a full /dev/shm.
    const memoryMib = props.memory
      ? GpuPod.mebibytes(props.memory)
      : perDevice.memoryMib * devices + (GpuPod.sharedMemoryMib(devices, props, scope) ?? 0);
    PropError.check(memoryMib > 0, scope, 'memory', GpuPod.quantity(memoryMib), 'a size above 0');
    const storageMib = props.ephemeralStorage ? GpuPod.mebibytes(props.ephemeralStorage) : 10 * GIB;
    PropError.check(storageMib > 0, scope, 'ephemeralStorage', GpuPod.quantity(storageMib), 'a size above 0');
    // Millicores keep fractional CPU exact without float noise in the Quantity.
    const cpuQuantity = Number.isInteger(cpu) ? String(cpu) : `${Math.round(cpu * 1000)}m`;
    return { cpu: cpuQuantity, memory: GpuPod.quantity(memoryMib), ephemeralStorage: GpuPod.quantity(storageMib) };
  }

  private static mebibytes(size: Size): number {
    return Math.ceil(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
  }

  private static quantity(mib: number): string {
    return mib % GIB === 0 ? `${mib / GIB}Gi` : `${mib}Mi`;
  }
}
