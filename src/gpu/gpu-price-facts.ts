// Public on-demand GPU-hour prices, USD per GPU, Linux, no storage or egress. Compiled 2026-12-04 from the providers'
// list prices; docs/gpus.md#prices names every source. Instance prices are divided by the instance's GPU count.
// `median` is the median of one on-demand list price per provider (US region, the 8-GPU node where one exists);
// `hyperscaler` and `gpuCloud` are the medians of AWS/GCP/Azure and of the GPU clouds (CoreWeave, Lambda, RunPod,
// Nebius, Hyperstack), which differ 2-3x for the same chip. Numbers only; keep test/gpu/gpu-prices.test.ts in step.

/** @internal */
export interface GpuPriceFacts {
  /** `GpuProfile.name` of the priced GPU. */
  readonly gpu: string;
  readonly median: number;
  readonly hyperscaler?: number;
  readonly gpuCloud?: number;
  /** Cheapest and dearest on-demand list price found. */
  readonly range: readonly [number, number];
  /** Providers the median is taken over. */
  readonly providers: number;
  /** When the sources read the prices (year-month, first to last; "undated" where a source carries no date). */
  readonly dated: string;
}

/** When the table was compiled. @internal */
export const GPU_PRICES_COMPILED = '2026-12-04';

/** @internal */
export const GPU_PRICE_FACTS: ReadonlyArray<GpuPriceFacts> = [
  { gpu: 'h100-sxm', median: 5.07, hyperscaler: 10.98, gpuCloud: 3.99, range: [3.20, 12.29], providers: 8, dated: '2026-08 to 2026-11' },
  { gpu: 'h100-pcie', median: 2.89, gpuCloud: 2.89, range: [2.50, 3.29], providers: 3, dated: '2026-08 to 2026-11' },
  { gpu: 'h200-sxm', median: 5.45, hyperscaler: 9.17, gpuCloud: 4.55, range: [3.99, 10.44], providers: 6, dated: '2026-08 to 2026-10' },
  { gpu: 'b200', median: 6.97, hyperscaler: 14.24, gpuCloud: 6.79, range: [6.00, 14.24], providers: 6, dated: '2026-08 to 2026-09, AWS undated' },
  { gpu: 'gb200', median: 10.50, gpuCloud: 10.50, range: [10.50, 10.50], providers: 1, dated: '2026-09' },
  { gpu: 'a100-sxm4-80gb', median: 2.75, hyperscaler: 4.25, gpuCloud: 2.25, range: [1.60, 5.07], providers: 6, dated: '2025-03 to 2026-11' },
  { gpu: 'a100-sxm4-40gb', median: 3.07, hyperscaler: 3.40, gpuCloud: 1.99, range: [1.99, 3.67], providers: 4, dated: '2025-03 to 2026-11' },
  { gpu: 'l40s', median: 1.71, hyperscaler: 1.86, gpuCloud: 1.55, range: [1.09, 2.25], providers: 4, dated: '2026-09, AWS undated' },
  { gpu: 'l4', median: 0.76, hyperscaler: 0.76, range: [0.71, 0.80], providers: 2, dated: '2025-03, AWS undated' },
  { gpu: 'a10g', median: 1.01, hyperscaler: 1.01, range: [1.01, 1.01], providers: 1, dated: 'AWS undated' },
];
