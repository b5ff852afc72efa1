import * as fc from 'fast-check';
import { GpuProfile, ModelArchitecture } from '../../src';
import { EncodeCost } from '../../src/optimizer/encode-cost';

const VLMS = ModelArchitecture.knownIds().filter(id => ModelArchitecture.of(id).visionEncoder !== undefined);
const GPUS = [GpuProfile.H100_SXM, GpuProfile.H200_SXM, GpuProfile.L40S, GpuProfile.L4, GpuProfile.A100_SXM4_80GB, GpuProfile.B200];

describe('EncodeCost', () => {
  test('never beats the roofline', () => {
    fc.assert(fc.property(fc.constantFrom(...VLMS), fc.constantFrom(...GPUS), fc.integer({ min: 1, max: 16 }),
      fc.integer({ min: 16, max: 4096 }), fc.integer({ min: 16, max: 4096 }), (id, gpu, images, w, h) => {
        const e = EncodeCost.estimate(ModelArchitecture.of(id), gpu, images, w, h);
        expect(e.ms).toBeGreaterThanOrEqual(e.rooflineMs);
        expect(e.rooflineMs).toBeGreaterThanOrEqual(e.flops / (gpu.bf16Tflops * 1e12) * 1e3);
      }), { numRuns: 300 });
  });

  test('grows with images per request and never falls with resolution', () => {
    fc.assert(fc.property(fc.constantFrom(...VLMS), fc.constantFrom(...GPUS), fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 16, max: 3072 }), fc.integer({ min: 16, max: 3072 }), fc.integer({ min: 0, max: 1024 }), (id, gpu, images, w, h, grow) => {
        const arch = ModelArchitecture.of(id);
        const base = EncodeCost.estimate(arch, gpu, images, w, h);
        expect(EncodeCost.estimate(arch, gpu, images + 1, w, h).ms).toBeGreaterThan(base.ms);
        expect(EncodeCost.estimate(arch, gpu, images, w + grow, h + grow).ms).toBeGreaterThanOrEqual(base.ms);
      }), { numRuns: 300 });
  });

  test('dynamic-resolution encoders cost more for larger images; fixed-tile ones do not', () => {
    const qwen = ModelArchitecture.of('Qwen/Qwen2.5-VL-7B-Instruct');
    const llava = ModelArchitecture.of('llava-hf/llava-1.5-7b-hf');
    const at = (arch: ModelArchitecture, px: number) => EncodeCost.estimate(arch, GpuProfile.H100_SXM, 1, px, px).ms;
    expect(at(qwen, 1024)).toBeGreaterThan(2 * at(qwen, 512));
    expect(at(llava, 1024)).toBe(at(llava, 336));
  });

  test('plausible figures: Qwen2.5-VL-7B, one 1024 px image on H100 SXM', () => {
    const e = EncodeCost.estimate(ModelArchitecture.of('Qwen/Qwen2.5-VL-7B-Instruct'), GpuProfile.H100_SXM, 1);
    expect(e.tokensPerImage).toBe(1369);
    expect(e.patchesPerTile).toBe(4 * 1369);
    // ~7.7 TFLOP: about 8 ms at the BF16 peak; real kernels reach well under it but not below 30 % of it.
    expect(e.flops / 1e12).toBeCloseTo(7.7, 0);
    expect(e.ms / e.rooflineMs).toBeGreaterThan(1);
    expect(e.ms / e.rooflineMs).toBeLessThan(3.5);
    // A slower GPU takes longer for the same image.
    expect(EncodeCost.estimate(ModelArchitecture.of('Qwen/Qwen2.5-VL-7B-Instruct'), GpuProfile.L4, 1).ms).toBeGreaterThan(3 * e.ms);
  });

  test('text-only models and bad image counts are errors', () => {
    expect(() => EncodeCost.estimate(ModelArchitecture.of('Qwen/Qwen3-8B'), GpuProfile.H100_SXM, 1))
      .toThrow(/'model' is 'Qwen\/Qwen3-8B': a text-only model encodes no images.*allowed: a vision-language model/);
    expect(() => EncodeCost.estimate(ModelArchitecture.of('Qwen/Qwen3-VL-2B-Instruct'), GpuProfile.H100_SXM, 0)).toThrow(/'images' is 0/);
  });
});
