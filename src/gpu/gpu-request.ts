import { GpuProfile, MigProfile } from './gpu-profile';
import { PropError } from '../common/errors';

/**
 * How the NVIDIA device plugin advertises MIG slices on the nodes (`mig.strategy` of the GPU Operator).
 */
export enum MigStrategy {
  /** Each profile is its own resource, `nvidia.com/mig-<profile>`; `nvidia.com/gpu.product` keeps the GPU name. */
  MIXED = 'mixed',
  /** Slices are `nvidia.com/gpu`; nodes are labelled `nvidia.com/gpu.product=<product>-MIG-<profile>`. */
  SINGLE = 'single',
}

/**
 * What one GPU device of a pod is: a whole GPU of some model, or a MIG slice.
 *
 * A pool asks for N of these devices per pod (its tensor x pipeline parallelism).
 */
export class GpuRequest {
  /**
   * Whole GPUs of a known model; pods are pinned to nodes with that product label unless turned off.
   * @param gpu the GPU model
   */
  public static whole(gpu: GpuProfile): GpuRequest {
    return new GpuRequest(gpu, undefined, undefined);
  }

  /** Whole GPUs of any model (`nvidia.com/gpu`, no product pinning). */
  public static anyGpu(): GpuRequest {
    return new GpuRequest(undefined, undefined, undefined);
  }

  /**
   * One MIG slice (`GpuProfile.A100_SXM4_80GB.mig('3g.40gb')`).
   * @param profile the slice, from `GpuProfile.mig(name)`
   * @param strategy how the cluster's device plugin exposes MIG (the GPU Operator's `mig.strategy`); `MigStrategy.MIXED`
   * when left out
   */
  public static mig(profile: MigProfile, strategy: MigStrategy = MigStrategy.MIXED): GpuRequest {
    PropError.check(Object.values(MigStrategy).includes(strategy), 'GpuRequest.mig', 'strategy', strategy, Object.values(MigStrategy).join(', '));
    // Guard against profiles assembled by hand for a GPU that cannot be partitioned.
    profile.gpu.mig(profile.name);
    return new GpuRequest(profile.gpu, profile, strategy);
  }

  private constructor(
    /** The GPU model, when known. */
    public readonly gpu: GpuProfile | undefined,
    /** The MIG profile, for a MIG request. */
    public readonly migProfile: MigProfile | undefined,
    /** The MIG strategy, for a MIG request. */
    public readonly migStrategy: MigStrategy | undefined,
  ) {}

  /** True for a MIG slice. */
  public get isMig(): boolean {
    return this.migProfile !== undefined;
  }

  /** The extended resource the pod requests: `nvidia.com/gpu` or `nvidia.com/mig-<profile>`. */
  public get resourceName(): string {
    return this.migProfile && this.migStrategy === MigStrategy.MIXED ? this.migProfile.mixedResourceName : 'nvidia.com/gpu';
  }

  /** The `nvidia.com/gpu.product` value nodes carry for this device, if the GPU model is known. */
  public get productLabel(): string | undefined {
    if (this.migProfile && this.migStrategy === MigStrategy.SINGLE) return this.migProfile.singleStrategyProductLabel;
    return this.gpu?.productLabel;
  }

  /** Memory of one device in GiB, if known. */
  public get memoryGiB(): number | undefined {
    return this.migProfile?.memoryGiB ?? this.gpu?.memoryGiB;
  }

  /** Devices of this kind one node offers, if known (GPUs per node, times slices per GPU for MIG). */
  public get devicesPerNode(): number | undefined {
    if (!this.gpu) return undefined;
    return this.gpu.gpusPerNode * (this.migProfile?.maxInstancesPerGpu ?? 1);
  }

  /** Human-readable description, e.g. `H100 SXM5 80GB` or `A100 SXM4 80GB MIG 3g.40gb (mixed)`. */
  public toString(): string {
    if (!this.gpu) return 'any NVIDIA GPU';
    if (!this.migProfile) return this.gpu.displayName;
    return `${this.gpu.displayName} MIG ${this.migProfile.name} (${this.migStrategy})`;
  }
}
