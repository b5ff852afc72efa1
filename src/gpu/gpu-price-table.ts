import { GPU_PRICE_FACTS, GPU_PRICES_COMPILED, GpuPriceFacts } from './gpu-price-facts';
import { GpuProfile } from './gpu-profile';
import { PropError } from '../common/errors';

/**
 * Which of the published on-demand prices a `GpuPriceTable` defaults to. Hyperscalers charge 2-3x what the GPU
 * clouds charge for the same chip, so one global number misleads: pick the kind of provider you buy from.
 */
export enum GpuPriceBasis {
  /** Median of one on-demand list price per provider, hyperscalers and GPU clouds together. */
  MEDIAN = 'median',
  /** Median of AWS, GCP and Azure on-demand prices (GPUs no hyperscaler sells fall back to `MEDIAN`). */
  HYPERSCALER = 'hyperscaler',
  /** Median of the GPU clouds (CoreWeave, Lambda, RunPod, Nebius, Hyperstack); GPUs none sells fall back to `MEDIAN`. */
  GPU_CLOUD = 'gpu-cloud',
}

/**
 * Props of a `GpuPriceTable`.
 */
export interface GpuPriceTableProps {
  /**
   * Which published price each GPU defaults to.
   * @default GpuPriceBasis.MEDIAN
   */
  readonly basis?: GpuPriceBasis;
  /**
   * Your own USD per GPU-hour, by any name `GpuProfile.of` accepts (`h100_sxm`, `L40S`) or the `name` of a
   * `GpuProfile.custom` GPU. An override wins over the published price, and prices GPUs the table lacks.
   * @default - the published prices only
   */
  readonly overrides?: { [gpu: string]: number };
}

/**
 * Where a price in a `GpuPriceTable` comes from.
 */
export interface GpuPriceSource {
  /** USD per GPU-hour. */
  readonly usdPerGpuHour: number;
  /** `override`, or the `GpuPriceBasis` value the published figure was taken at. */
  readonly basis: string;
  /** When the published figures were read (year-month range), or `override`. */
  readonly dated: string;
  /** Cheapest on-demand list price found, for published figures. */
  readonly lowest?: number;
  /** Dearest on-demand list price found, for published figures. */
  readonly highest?: number;
  /** Providers the published median is taken over (0 for an override). */
  readonly providers: number;
}

/**
 * USD per GPU-hour for each GPU type: the optimizer's input for tokens per dollar and cost per hour.
 *
 * The published defaults are public on-demand list prices (Linux, no storage or egress) compiled on
 * `GpuPriceTable.COMPILED` from AWS, GCP, Azure, CoreWeave, Lambda, RunPod, Nebius and Hyperstack; docs/gpus.md
 * lists them with their sources and dates. Prices move (GPU-cloud prices rose in late 2026): pass `overrides` with
 * what you pay.
 *
 * ```ts
 * import { GpuPriceBasis, GpuPriceTable, GpuProfile } from 'cdk8s-dynamo';
 *
 * const prices = new GpuPriceTable({ basis: GpuPriceBasis.GPU_CLOUD, overrides: { h100_sxm: 2.49 } });
 * prices.usdPerGpuHour(GpuProfile.L40S); // 1.55
 * ```
 */
export class GpuPriceTable {
  /** Day the published prices were compiled. */
  public static readonly COMPILED = GPU_PRICES_COMPILED;

  /** The published median prices, no overrides. */
  public static readonly DEFAULT = new GpuPriceTable();

  /** Catalog GPUs with a published price, in catalog order. */
  public static publishedGpus(): GpuProfile[] {
    return GpuProfile.all().filter(g => GpuPriceTable.published(g) !== undefined);
  }

  private static published(gpu: GpuProfile): GpuPriceFacts | undefined {
    return GPU_PRICE_FACTS.find(f => f.gpu === gpu.name);
  }

  private static key(name: string): string {
    return name.trim().toLowerCase().replace(/_/g, '-');
  }

  /** Which published price each GPU defaults to. */
  public readonly basis: GpuPriceBasis;
  private readonly overrides: Map<string, number>;

  /**
   * @param props the published price basis and your own prices
   */
  public constructor(props: GpuPriceTableProps = {}) {
    const where = 'GpuPriceTable';
    this.basis = props.basis ?? GpuPriceBasis.MEDIAN;
    PropError.check(Object.values(GpuPriceBasis).includes(this.basis), where, 'basis', this.basis, Object.values(GpuPriceBasis).join(', '));
    this.overrides = new Map();
    for (const [name, price] of Object.entries(props.overrides ?? {})) {
      PropError.check(typeof price === 'number' && Number.isFinite(price) && price > 0, where, `overrides.${name}`, price, 'a positive USD per GPU-hour');
      let key: string;
      try {
        key = GpuProfile.of(name).name;
      } catch {
        // Not a catalog name: the name of a GpuProfile.custom GPU.
        key = GpuPriceTable.key(name);
      }
      PropError.check(!this.overrides.has(key), where, `overrides.${name}`, price, 'one price per GPU', `another key already names ${key}`);
      this.overrides.set(key, price);
    }
  }

  /**
   * USD per GPU-hour of a GPU: its override, else its published price at `basis`; undefined when neither exists.
   * @param gpu a catalog or custom GPU
   */
  public usdPerGpuHour(gpu: GpuProfile): number | undefined {
    return this.sourceOf(gpu)?.usdPerGpuHour;
  }

  /**
   * The price of a GPU, or an error naming the GPU and the GPUs that have one.
   * @param gpu a catalog or custom GPU
   */
  public require(gpu: GpuProfile): number {
    const price = this.usdPerGpuHour(gpu);
    if (price !== undefined) return price;
    const priced = [...GpuPriceTable.publishedGpus().map(g => g.name), ...this.overrides.keys()];
    throw PropError.invalid('GpuPriceTable', 'gpu', gpu.name, `a GPU with a price: ${[...new Set(priced)].join(', ')}`,
      `no published price for ${gpu.displayName}; pass overrides: { '${gpu.name}': <USD per GPU-hour> }`);
  }

  /**
   * A GPU's price with where it comes from; undefined when the table has none.
   * @param gpu a catalog or custom GPU
   */
  public sourceOf(gpu: GpuProfile): GpuPriceSource | undefined {
    const override = this.overrides.get(GpuPriceTable.key(gpu.name));
    if (override !== undefined) return { usdPerGpuHour: override, basis: 'override', dated: 'override', providers: 0 };
    const facts = GpuPriceTable.published(gpu);
    if (!facts) return undefined;
    const atBasis = this.basis === GpuPriceBasis.HYPERSCALER ? facts.hyperscaler
      : this.basis === GpuPriceBasis.GPU_CLOUD ? facts.gpuCloud : facts.median;
    return {
      usdPerGpuHour: atBasis ?? facts.median,
      basis: atBasis === undefined ? GpuPriceBasis.MEDIAN : this.basis,
      dated: facts.dated,
      lowest: facts.range[0],
      highest: facts.range[1],
      providers: facts.providers,
    };
  }
}
