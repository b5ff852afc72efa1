import { GPU_FACTS, GpuFacts } from './gpu-facts';

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
    /** Compute slices out of the GPU's seven. */
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

  /** Fraction of the GPU's compute this slice gets (slices of 7). */
  public get computeFraction(): number {
    return this.computeSlices / 7;
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
}

/**
 * An NVIDIA datacenter GPU: its figures, node label and MIG profiles.
 *
 * Use a catalog member (`GpuProfile.H100_SXM`), look one up by name (`GpuProfile.of('h100_sxm')`),
 * or describe your own (`GpuProfile.custom({...})`).
 */
export class GpuProfile {
  public static readonly A100_SXM4_40GB = GpuProfile.fromFacts('a100-sxm4-40gb');
  public static readonly A100_SXM4_80GB = GpuProfile.fromFacts('a100-sxm4-80gb');
  public static readonly A100_PCIE_40GB = GpuProfile.fromFacts('a100-pcie-40gb');
  public static readonly A100_PCIE_80GB = GpuProfile.fromFacts('a100-pcie-80gb');
  public static readonly A30 = GpuProfile.fromFacts('a30');
  public static readonly A10 = GpuProfile.fromFacts('a10');
  public static readonly A10G = GpuProfile.fromFacts('a10g');
  public static readonly L4 = GpuProfile.fromFacts('l4');
  public static readonly L40 = GpuProfile.fromFacts('l40');
  public static readonly L40S = GpuProfile.fromFacts('l40s');
  public static readonly H100_SXM = GpuProfile.fromFacts('h100-sxm');
  public static readonly H100_PCIE = GpuProfile.fromFacts('h100-pcie');
  public static readonly H100_NVL = GpuProfile.fromFacts('h100-nvl');
  public static readonly H200_SXM = GpuProfile.fromFacts('h200-sxm');
  public static readonly H200_NVL = GpuProfile.fromFacts('h200-nvl');
  public static readonly GH200 = GpuProfile.fromFacts('gh200');
  public static readonly B200 = GpuProfile.fromFacts('b200');
  public static readonly GB200 = GpuProfile.fromFacts('gb200');
  public static readonly B300 = GpuProfile.fromFacts('b300');
  public static readonly GB300 = GpuProfile.fromFacts('gb300');

  /** Every GPU in the catalog, in catalog order. */
  public static all(): GpuProfile[] {
    return [
      GpuProfile.A100_SXM4_40GB, GpuProfile.A100_SXM4_80GB, GpuProfile.A100_PCIE_40GB, GpuProfile.A100_PCIE_80GB,
      GpuProfile.A30, GpuProfile.A10, GpuProfile.A10G, GpuProfile.L4, GpuProfile.L40, GpuProfile.L40S,
      GpuProfile.H100_SXM, GpuProfile.H100_PCIE, GpuProfile.H100_NVL, GpuProfile.H200_SXM, GpuProfile.H200_NVL,
      GpuProfile.GH200, GpuProfile.B200, GpuProfile.GB200, GpuProfile.B300, GpuProfile.GB300,
    ];
  }

  /**
   * Look a GPU up by name. Accepts catalog ids (`h100-sxm`), constant names (`H100_SXM`),
   * AIConfigurator system names (`h100_sxm`, `b200_sxm`, `a100_sxm`) and Dynamo GPU SKUs.
   * Matching ignores case and treats `-` and `_` alike.
   */
  public static of(name: string): GpuProfile {
    const key = GpuProfile.normalize(name);
    // AIConfigurator system names win over Dynamo SKUs: `a100_sxm` is the 80GB part in both tools' models.
    const all = GpuProfile.all();
    const found = all.find(g => g.aliases().includes(key))
      ?? all.find(g => g.dynamoGpuSku && GpuProfile.normalize(g.dynamoGpuSku) === key);
    if (found) return found;
    throw new Error(`Unknown GPU '${name}'. Known GPUs: ${GpuProfile.knownNames().join(', ')}`);
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

  /** Describe a GPU that is not in the catalog. */
  public static custom(props: CustomGpuProfileProps): GpuProfile {
    const positive: Array<[string, number | undefined]> = [
      ['memoryGiB', props.memoryGiB], ['memoryBandwidthGBps', props.memoryBandwidthGBps], ['bf16Tflops', props.bf16Tflops],
      ['fp8Tflops', props.fp8Tflops], ['fp4Tflops', props.fp4Tflops], ['nvlinkGBps', props.nvlinkGBps],
      ['gpusPerNode', props.gpusPerNode], ['intraNodeBandwidthGBps', props.intraNodeBandwidthGBps],
      ['interNodeBandwidthGBps', props.interNodeBandwidthGBps],
    ];
    for (const [prop, value] of positive) {
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
        throw new Error(`GpuProfile.custom: '${prop}' must be a positive number, got ${value}`);
      }
    }
    if (props.gpusPerNode !== undefined && !Number.isInteger(props.gpusPerNode)) {
      throw new Error(`GpuProfile.custom: 'gpusPerNode' must be a whole number, got ${props.gpusPerNode}`);
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name)) {
      throw new Error(`GpuProfile.custom: 'name' must be lower-case letters, digits and '-', got '${props.name}'`);
    }
    if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(props.productLabel) || props.productLabel.length > 63) {
      throw new Error(`GpuProfile.custom: 'productLabel' must be a valid label value (letters, digits, '-', '_', '.'; at most 63), got '${props.productLabel}'`);
    }
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
      arm64: false,
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
  /** GPU memory in GiB (NVIDIA's nominal GB). */
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

  /** A MIG profile of this GPU by name (`1g.10gb`); throws listing the supported ones. */
  public mig(name: string): MigProfile {
    const profile = this.migByName.get(name.trim().toLowerCase());
    if (profile) return profile;
    if (!this.supportsMig) {
      throw new Error(`GPU '${this.name}' does not support MIG; MIG-capable GPUs: ${GpuProfile.all().filter(g => g.supportsMig).map(g => g.name).join(', ')}`);
    }
    throw new Error(`GPU '${this.name}' has no MIG profile '${name}'; supported: ${[...this.migByName.keys()].join(', ')}`);
  }

  /** Peak dense TFLOPS at a precision (`bf16`, `fp8`, `fp4`), or undefined when the tensor cores lack it. */
  public tflops(precision: string): number | undefined {
    switch (precision) {
      case 'bf16': case 'fp16': return this.bf16Tflops;
      case 'fp8': return this.fp8Tflops;
      case 'fp4': return this.fp4Tflops;
      default: throw new Error(`Unknown precision '${precision}'; allowed: bf16, fp16, fp8, fp4`);
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
