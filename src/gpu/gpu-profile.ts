import { GPU_FACTS, GpuFacts } from './gpu-facts';
import { PropError } from '../common/errors';

/**
 * A tensor-core number format, for `GpuProfile.tflops()`.
 */
export enum ComputePrecision {
  /** BF16 (FP16 runs at the same dense rate). */
  BF16 = 'bf16',
  /** FP8 (Hopper and later). */
  FP8 = 'fp8',
  /** FP4 (Blackwell and later). */
  FP4 = 'fp4',
}

/**
 * A Multi-Instance GPU (MIG) profile, such as `1g.10gb` on an A100 80GB.
 *
 * Obtain one from `GpuProfile.mig(name)`; the catalog knows which profiles each GPU supports.
 */
export class MigProfile {
  /** @internal */
  public static _of(gpu: GpuProfile, name: string, computeSlices: number, memoryGiB: number, maxInstancesPerGpu: number): MigProfile {
    return new MigProfile(gpu, name, computeSlices, memoryGiB, maxInstancesPerGpu);
  }

  private constructor(
    /** The GPU this profile slices. */
    public readonly gpu: GpuProfile,
    /** Profile name as the device plugin spells it, e.g. `1g.10gb`. */
    public readonly name: string,
    /** Compute slices of the GPU's total (7, or 4 on an A30). */
    public readonly computeSlices: number,
    /** Memory of one slice, in GiB (NVIDIA's nominal GB). */
    public readonly memoryGiB: number,
    /** How many slices of this profile one GPU holds. */
    public readonly maxInstancesPerGpu: number,
  ) {}

  /** Extended resource name under the device plugin's `mixed` MIG strategy, e.g. `nvidia.com/mig-1g.10gb`. */
  public get mixedResourceName(): string {
    return `nvidia.com/mig-${this.name}`;
  }

  /** Value of the `nvidia.com/gpu.product` node label under the `single` MIG strategy. */
  public get singleStrategyProductLabel(): string {
    return `${this.gpu.productLabel}-MIG-${this.name}`;
  }

  /** Fraction of the GPU's compute this slice gets (its slices over the full-GPU profile's). */
  public get computeFraction(): number {
    return this.computeSlices / Math.max(...this.gpu.migProfiles.map(p => p.computeSlices));
  }
}

/**
 * Properties of a GPU that is not in the catalog, for `GpuProfile.custom()`.
 */
export interface CustomGpuProfileProps {
  /** Short identifier, lower-case, e.g. `my-gpu-48gb`. */
  readonly name: string;
  /**
   * Human-readable name.
   * @default - the name
   */
  readonly displayName?: string;
  /** GPU memory in GiB. */
  readonly memoryGiB: number;
  /** Peak memory bandwidth in GB/s. */
  readonly memoryBandwidthGBps: number;
  /** Dense BF16 tensor-core TFLOPS. */
  readonly bf16Tflops: number;
  /**
   * Dense FP8 tensor-core TFLOPS.
   * @default - FP8 not supported
   */
  readonly fp8Tflops?: number;
  /**
   * Dense FP4 tensor-core TFLOPS.
   * @default - FP4 not supported
   */
  readonly fp4Tflops?: number;
  /**
   * Total bidirectional NVLink bandwidth per GPU, GB/s.
   * @default - no NVLink
   */
  readonly nvlinkGBps?: number;
  /**
   * GPUs per node.
   * @default 8
   */
  readonly gpusPerNode?: number;
  /**
   * Per-direction GPU-to-GPU bandwidth within a node, GB/s.
   * @default - half of `nvlinkGBps`, or 32 (PCIe Gen4) without NVLink
   */
  readonly intraNodeBandwidthGBps?: number;
  /**
   * Per-GPU network bandwidth between nodes, GB/s.
   * @default 25
   */
  readonly interNodeBandwidthGBps?: number;
  /** Value of the `nvidia.com/gpu.product` node label that GPU Feature Discovery writes. */
  readonly productLabel: string;
  /**
   * True for Grace-based (arm64) nodes: pods then select and tolerate arm64 nodes.
   * @default false
   */
  readonly arm64?: boolean;
}

const CUSTOM = 'GpuProfile.custom';

/**
 * An NVIDIA datacenter GPU: its figures, node label and MIG profiles.
 *
 * Use a catalog member (`GpuProfile.H100_SXM`), look one up by name (`GpuProfile.of('h100_sxm')`),
 * or describe your own (`GpuProfile.custom({...})`).
 */
export class GpuProfile {
  /** A100 SXM4 40GB. */
  public static readonly A100_SXM4_40GB = GpuProfile.fromFacts('a100-sxm4-40gb');
  /** A100 SXM4 80GB. */
  public static readonly A100_SXM4_80GB = GpuProfile.fromFacts('a100-sxm4-80gb');
  /** A100 PCIe 40GB. */
  public static readonly A100_PCIE_40GB = GpuProfile.fromFacts('a100-pcie-40gb');
  /** A100 PCIe 80GB. */
  public static readonly A100_PCIE_80GB = GpuProfile.fromFacts('a100-pcie-80gb');
  /** A30 24GB. */
  public static readonly A30 = GpuProfile.fromFacts('a30');
  /** A10 24GB. */
  public static readonly A10 = GpuProfile.fromFacts('a10');
  /** A10G 24GB (AWS G5). */
  public static readonly A10G = GpuProfile.fromFacts('a10g');
  /** L4 24GB. */
  public static readonly L4 = GpuProfile.fromFacts('l4');
  /** L40 48GB. */
  public static readonly L40 = GpuProfile.fromFacts('l40');
  /** L40S 48GB. */
  public static readonly L40S = GpuProfile.fromFacts('l40s');
  /** H100 SXM5 80GB. */
  public static readonly H100_SXM = GpuProfile.fromFacts('h100-sxm');
  /** H100 PCIe 80GB. */
  public static readonly H100_PCIE = GpuProfile.fromFacts('h100-pcie');
  /** H100 NVL 94GB. */
  public static readonly H100_NVL = GpuProfile.fromFacts('h100-nvl');
  /** H200 SXM 141GB. */
  public static readonly H200_SXM = GpuProfile.fromFacts('h200-sxm');
  /** H200 NVL 141GB. */
  public static readonly H200_NVL = GpuProfile.fromFacts('h200-nvl');
  /** GH200 Grace Hopper Superchip (GPU part). */
  public static readonly GH200 = GpuProfile.fromFacts('gh200');
  /** GH200 Grace Hopper Superchip 144GB HBM3e (GPU part). */
  public static readonly GH200_144GB = GpuProfile.fromFacts('gh200-144gb');
  /** B200 (HGX/DGX B200). */
  public static readonly B200 = GpuProfile.fromFacts('b200');
  /** GB200 (Grace Blackwell, NVL72/NVL4 trays). */
  public static readonly GB200 = GpuProfile.fromFacts('gb200');
  /** B300 (HGX B300, Blackwell Ultra). */
  public static readonly B300 = GpuProfile.fromFacts('b300');
  /** GB300 (Grace Blackwell Ultra, NVL72) [extra]. */
  public static readonly GB300 = GpuProfile.fromFacts('gb300');

  /** Every GPU in the catalog, in catalog order. */
  public static all(): GpuProfile[] {
    return [
      GpuProfile.A100_SXM4_40GB, GpuProfile.A100_SXM4_80GB, GpuProfile.A100_PCIE_40GB, GpuProfile.A100_PCIE_80GB,
      GpuProfile.A30, GpuProfile.A10, GpuProfile.A10G, GpuProfile.L4, GpuProfile.L40, GpuProfile.L40S,
      GpuProfile.H100_SXM, GpuProfile.H100_PCIE, GpuProfile.H100_NVL, GpuProfile.H200_SXM, GpuProfile.H200_NVL,
      GpuProfile.GH200, GpuProfile.GH200_144GB, GpuProfile.B200, GpuProfile.GB200, GpuProfile.B300, GpuProfile.GB300,
    ];
  }

  /**
   * Look a GPU up by name. Accepts catalog ids (`h100-sxm`), constant names (`H100_SXM`),
   * AIConfigurator system names (`h100_sxm`, `b200_sxm`, `a100_sxm`) and Dynamo GPU SKUs.
   * Matching ignores case and treats `-` and `_` alike.
   * @param name a catalog id, constant name, AIConfigurator system name or Dynamo GPU SKU
   */
  public static of(name: string): GpuProfile {
    const key = GpuProfile.normalize(name);
    // AIConfigurator system names win over Dynamo SKUs: `a100_sxm` is the 80GB part in both tools' models.
    const all = GpuProfile.all();
    const found = all.find(g => g.aliases().includes(key))
      ?? all.find(g => g.dynamoGpuSku && GpuProfile.normalize(g.dynamoGpuSku) === key);
    if (found) return found;
    throw PropError.invalid('GpuProfile.of', 'name', name, GpuProfile.knownNames().join(', '), 'unknown GPU');
  }

  /** The names `GpuProfile.of()` accepts, one canonical id plus AIConfigurator system names. */
  public static knownNames(): string[] {
    const names = new Set<string>();
    for (const gpu of GpuProfile.all()) {
      names.add(gpu.name);
      if (gpu.aicSystem) names.add(gpu.aicSystem);
    }
    return [...names].sort();
  }

  /**
   * Describe a GPU that is not in the catalog. Throws naming the prop, value and what is allowed when a figure is invalid.
   * @param props its figures, node label and node size
   */
  public static custom(props: CustomGpuProfileProps): GpuProfile {
    const positive: Array<[string, number | undefined]> = [
      ['memoryGiB', props.memoryGiB], ['memoryBandwidthGBps', props.memoryBandwidthGBps], ['bf16Tflops', props.bf16Tflops],
      ['fp8Tflops', props.fp8Tflops], ['fp4Tflops', props.fp4Tflops], ['nvlinkGBps', props.nvlinkGBps],
      ['gpusPerNode', props.gpusPerNode], ['intraNodeBandwidthGBps', props.intraNodeBandwidthGBps],
      ['interNodeBandwidthGBps', props.interNodeBandwidthGBps],
    ];
    for (const [prop, value] of positive) {
      PropError.check(value === undefined || (Number.isFinite(value) && value > 0), CUSTOM, prop, value, 'a positive number');
    }
    PropError.integer(CUSTOM, 'gpusPerNode', props.gpusPerNode, 1);
    PropError.check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name), CUSTOM, 'name', props.name, 'lower-case letters, digits and \'-\'');
    PropError.check(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(props.productLabel) && props.productLabel.length <= 63,
      CUSTOM, 'productLabel', props.productLabel, 'a label value: letters, digits, \'-\', \'_\', \'.\', at most 63 characters');
    return new GpuProfile({
      id: props.name,
      constName: props.name.toUpperCase().replace(/-/g, '_'),
      displayName: props.displayName ?? props.name,
      architecture: 'custom',
      memoryGiB: props.memoryGiB,
      memoryBandwidthGBps: props.memoryBandwidthGBps,
      bf16Tflops: props.bf16Tflops,
      fp8Tflops: props.fp8Tflops,
      fp4Tflops: props.fp4Tflops,
      nvlinkGBps: props.nvlinkGBps,
      gpusPerNode: props.gpusPerNode ?? 8,
      intraNodeBandwidthGBps: props.intraNodeBandwidthGBps ?? (props.nvlinkGBps ? props.nvlinkGBps / 2 : 32),
      interNodeBandwidthGBps: props.interNodeBandwidthGBps ?? 25,
      productLabel: props.productLabel,
      arm64: props.arm64 ?? false,
      mig: [],
    });
  }

  private static fromFacts(id: string): GpuProfile {
    const facts = GPU_FACTS.find(f => f.id === id);
    if (!facts) throw new Error(`internal: no GPU facts for '${id}'`);
    return new GpuProfile(facts);
  }

  private static normalize(name: string): string {
    return name.trim().toLowerCase().replace(/_/g, '-');
  }

  /** Catalog id, e.g. `h100-sxm`. */
  public readonly name: string;
  /** Human-readable name, e.g. `H100 SXM5 80GB`. */
  public readonly displayName: string;
  /** GPU architecture, e.g. `Hopper`. */
  public readonly architecture: string;
  /** GPU memory in GiB: the usable size where nvidia-smi/AIConfigurator record it, otherwise NVIDIA's nominal GB. */
  public readonly memoryGiB: number;
  /** Peak memory bandwidth, GB/s. */
  public readonly memoryBandwidthGBps: number;
  /** Dense BF16 tensor-core TFLOPS. */
  public readonly bf16Tflops: number;
  /** Dense FP8 tensor-core TFLOPS, if the GPU has FP8 tensor cores. */
  public readonly fp8Tflops?: number;
  /** Dense FP4 tensor-core TFLOPS, if the GPU has FP4 tensor cores. */
  public readonly fp4Tflops?: number;
  /** Total bidirectional NVLink bandwidth per GPU, GB/s, if the GPU has NVLink. */
  public readonly nvlinkGBps?: number;
  /** GPUs per node in the usual server for this GPU. */
  public readonly gpusPerNode: number;
  /** Per-direction GPU-to-GPU bandwidth within a node, GB/s. */
  public readonly intraNodeBandwidthGBps: number;
  /** Per-GPU network bandwidth between nodes, GB/s. */
  public readonly interNodeBandwidthGBps: number;
  /** Value of the `nvidia.com/gpu.product` node label (GPU Feature Discovery, MIG strategy none or mixed). */
  public readonly productLabel: string;
  /** AIConfigurator system name, if AIConfigurator models this GPU. */
  public readonly aicSystem?: string;
  /** The DynamoGraphDeploymentRequest `hardware.gpuSku` value, if Dynamo knows this GPU. */
  public readonly dynamoGpuSku?: string;
  /** True for Grace-based nodes, which are arm64. */
  public readonly arm64: boolean;
  /** Figures that are estimates rather than published values. */
  public readonly estimatedFigures: string[];
  private readonly migByName: Map<string, MigProfile>;

  private constructor(facts: GpuFacts) {
    this.name = facts.id;
    this.displayName = facts.displayName;
    this.architecture = facts.architecture;
    this.memoryGiB = facts.memoryGiB;
    this.memoryBandwidthGBps = facts.memoryBandwidthGBps;
    this.bf16Tflops = facts.bf16Tflops;
    this.fp8Tflops = facts.fp8Tflops;
    this.fp4Tflops = facts.fp4Tflops;
    this.nvlinkGBps = facts.nvlinkGBps;
    this.gpusPerNode = facts.gpusPerNode;
    this.intraNodeBandwidthGBps = facts.intraNodeBandwidthGBps;
    this.interNodeBandwidthGBps = facts.interNodeBandwidthGBps;
    this.productLabel = facts.productLabel;
    this.aicSystem = facts.aicSystem;
    this.dynamoGpuSku = facts.dynamoGpuSku;
    this.arm64 = facts.arm64;
    this.estimatedFigures = [...(facts.estimated ?? [])];
    this.migByName = new Map(facts.mig.map(([n, c, m, k]) => [n, MigProfile._of(this, n, c, m, k)]));
  }

  /** True if the GPU can be partitioned with MIG. */
  public get supportsMig(): boolean {
    return this.migByName.size > 0;
  }

  /** The MIG profiles this GPU supports, smallest first. */
  public get migProfiles(): MigProfile[] {
    return [...this.migByName.values()];
  }

  /**
   * A MIG profile of this GPU by name; throws listing the supported ones.
   * @param name the profile as the device plugin spells it, e.g. `1g.10gb`
   */
  public mig(name: string): MigProfile {
    const profile = this.migByName.get(name.trim().toLowerCase());
    if (profile) return profile;
    if (!this.supportsMig) {
      throw PropError.invalid(`GpuProfile ${this.name}`, 'mig', name, `a GPU with MIG: ${GpuProfile.all().filter(g => g.supportsMig).map(g => g.name).join(', ')}`,
        `${this.displayName} cannot be partitioned`);
    }
    throw PropError.invalid(`GpuProfile ${this.name}`, 'mig', name, [...this.migByName.keys()].join(', '), 'no such MIG profile on this GPU');
  }

  /**
   * Peak dense tensor-core TFLOPS at a precision, or undefined when the tensor cores lack it.
   * @param precision the number format, e.g. `ComputePrecision.FP8`
   */
  public tflops(precision: ComputePrecision): number | undefined {
    switch (precision) {
      case ComputePrecision.BF16: return this.bf16Tflops;
      case ComputePrecision.FP8: return this.fp8Tflops;
      case ComputePrecision.FP4: return this.fp4Tflops;
      default: throw PropError.invalid(`GpuProfile ${this.name}`, 'precision', precision, Object.values(ComputePrecision).join(', '));
    }
  }

  private aliases(): string[] {
    const names = [this.name, this.aicSystem, this.constName()]
      .filter((n): n is string => !!n)
      .map(GpuProfile.normalize);
    return names;
  }

  private constName(): string {
    return GPU_FACTS.find(f => f.id === this.name)?.constName ?? this.name;
  }
}
