import { GpuPriceBasis, GpuPriceTable, GpuProfile } from '../../src';

describe('GpuPriceTable', () => {
  test('published medians (prices.md, compiled 2026-12-04)', () => {
    const t = GpuPriceTable.DEFAULT;
    const expected: Array<[GpuProfile, number]> = [
      [GpuProfile.H100_SXM, 5.07], [GpuProfile.H100_PCIE, 2.89], [GpuProfile.H200_SXM, 5.45], [GpuProfile.B200, 6.97],
      [GpuProfile.GB200, 10.50], [GpuProfile.A100_SXM4_80GB, 2.75], [GpuProfile.A100_SXM4_40GB, 3.07],
      [GpuProfile.L40S, 1.71], [GpuProfile.L4, 0.76], [GpuProfile.A10G, 1.01],
    ];
    for (const [gpu, price] of expected) expect(t.usdPerGpuHour(gpu)).toBe(price);
    expect(GpuPriceTable.publishedGpus()).toEqual(GpuProfile.all().filter(g => expected.some(([e]) => e === g)));
    expect(GpuPriceTable.COMPILED).toBe('2026-12-04');
  });

  test('every published price lies in its range, and each basis price too', () => {
    for (const gpu of GpuPriceTable.publishedGpus()) {
      for (const basis of Object.values(GpuPriceBasis)) {
        const s = new GpuPriceTable({ basis }).sourceOf(gpu)!;
        expect(s.usdPerGpuHour).toBeGreaterThanOrEqual(s.lowest!);
        expect(s.usdPerGpuHour).toBeLessThanOrEqual(s.highest!);
        expect(s.providers).toBeGreaterThan(0);
        expect(s.dated).toMatch(/20\d\d|undated/);
      }
    }
  });

  test('provider class: hyperscalers vs GPU clouds, falling back to the median where one class sells none', () => {
    const hyper = new GpuPriceTable({ basis: GpuPriceBasis.HYPERSCALER });
    const cloud = new GpuPriceTable({ basis: GpuPriceBasis.GPU_CLOUD });
    expect(hyper.usdPerGpuHour(GpuProfile.H100_SXM)).toBe(10.98);
    expect(cloud.usdPerGpuHour(GpuProfile.H100_SXM)).toBe(3.99);
    expect(hyper.sourceOf(GpuProfile.H100_PCIE)).toMatchObject({ usdPerGpuHour: 2.89, basis: 'median' });
    expect(cloud.sourceOf(GpuProfile.L4)).toMatchObject({ usdPerGpuHour: 0.76, basis: 'median' });
  });

  test('overrides by any catalog name, and for custom GPUs', () => {
    const custom = GpuProfile.custom({ name: 'my-gpu', memoryGiB: 48, memoryBandwidthGBps: 900, bf16Tflops: 180, productLabel: 'MY-GPU' });
    const t = new GpuPriceTable({ overrides: { 'h100_sxm': 2.49, 'L40S': 0.9, 'my-gpu': 1.2 } });
    expect(t.usdPerGpuHour(GpuProfile.H100_SXM)).toBe(2.49);
    expect(t.sourceOf(GpuProfile.L40S)).toEqual({ usdPerGpuHour: 0.9, basis: 'override', dated: 'override', providers: 0 });
    expect(t.usdPerGpuHour(custom)).toBe(1.2);
    expect(t.usdPerGpuHour(GpuProfile.B200)).toBe(6.97);
    expect(GpuPriceTable.DEFAULT.usdPerGpuHour(custom)).toBeUndefined();
  });

  test('a GPU without a price is an error naming it and the priced ones', () => {
    expect(() => GpuPriceTable.DEFAULT.require(GpuProfile.H100_NVL)).toThrow(
      /\[GpuPriceTable\] 'gpu' is 'h100-nvl': no published price for H100 NVL 94GB; pass overrides: \{ 'h100-nvl': <USD per GPU-hour> \}\. allowed: a GPU with a price: .*l40s, h100-sxm/);
    expect(new GpuPriceTable({ overrides: { 'h100-nvl': 4 } }).require(GpuProfile.H100_NVL)).toBe(4);
  });

  test('bad overrides and bases fail naming the prop', () => {
    expect(() => new GpuPriceTable({ overrides: { l4: -1 } })).toThrow(/'overrides.l4' is -1.*a positive USD per GPU-hour/);
    expect(() => new GpuPriceTable({ overrides: { l4: NaN } })).toThrow(/'overrides.l4' is NaN/);
    expect(() => new GpuPriceTable({ overrides: { 'h100_sxm': 2, 'H100-SXM': 3 } })).toThrow(/one price per GPU/);
    expect(() => new GpuPriceTable({ basis: 'spot' as GpuPriceBasis })).toThrow(/'basis' is 'spot'.*median, hyperscaler, gpu-cloud/);
  });
});
