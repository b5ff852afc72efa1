import * as fc from 'fast-check';
import { ModelArchitecture } from '../../src';

const VLMS = ModelArchitecture.knownIds().filter(id => ModelArchitecture.of(id).visionEncoder !== undefined);

describe('vision-language models in the catalog', () => {
  test('the models the upstream multimodal examples serve are known, with their encoders', () => {
    expect(VLMS).toEqual(expect.arrayContaining([
      'Qwen/Qwen3-VL-2B-Instruct', 'Qwen/Qwen3-VL-4B-Instruct', 'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8', 'Qwen/Qwen3-VL-32B-Instruct-FP8',
      'Qwen/Qwen2.5-VL-7B-Instruct', 'Qwen/Qwen2-VL-2B-Instruct', 'Qwen/Qwen2-VL-7B-Instruct', 'llava-hf/llava-1.5-7b-hf',
      'llava-hf/llava-v1.6-mistral-7b-hf', 'microsoft/Phi-3.5-vision-instruct', 'meta-llama/Llama-4-Scout-17B-16E-Instruct',
      'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8',
    ]));
    expect(ModelArchitecture.of('Qwen/Qwen3-8B').visionEncoder).toBeUndefined();
  });

  test('published parameter counts, language model plus encoder, within 1.5 %', () => {
    const published: Array<[string, number]> = [
      ['Qwen/Qwen3-VL-2B-Instruct', 2.13], ['Qwen/Qwen3-VL-4B-Instruct', 4.44], ['Qwen/Qwen3-VL-30B-A3B-Instruct', 31.1],
      ['Qwen/Qwen3-VL-32B-Instruct', 33.4], ['Qwen/Qwen2.5-VL-7B-Instruct', 8.29], ['Qwen/Qwen2-VL-2B-Instruct', 2.21],
      ['Qwen/Qwen2-VL-7B-Instruct', 8.29], ['llava-hf/llava-1.5-7b-hf', 7.06], ['llava-hf/llava-v1.6-mistral-7b-hf', 7.57],
      ['microsoft/Phi-3.5-vision-instruct', 4.15], ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 109],
      ['meta-llama/Llama-4-Maverick-17B-128E-Instruct', 400],
    ];
    for (const [id, billions] of published) {
      expect(Math.abs(ModelArchitecture.of(id).parameterCount() / 1e9 - billions) / billions).toBeLessThan(0.015);
    }
    // Encoders: Qwen2-VL's 675M ViT, CLIP ViT-L/14 (304M) plus LLaVA's 21M projector.
    expect(ModelArchitecture.of('Qwen/Qwen2-VL-7B-Instruct').visionEncoder!.parameterCount() / 1e6).toBeCloseTo(675, -1);
    expect(ModelArchitecture.of('llava-hf/llava-1.5-7b-hf').visionEncoder!.parameterCount() / 1e6).toBeCloseTo(325, -1);
  });

  test('weights count the encoder at BF16 even in FP8 checkpoints', () => {
    const fp8 = ModelArchitecture.of('Qwen/Qwen3-VL-32B-Instruct-FP8');
    const text = ModelArchitecture.of('Qwen/Qwen3-32B-FP8');
    expect(fp8.weightBytes() - text.weightBytes()).toBeGreaterThan(fp8.visionEncoder!.weightBytes() * 0.99);
    expect(fp8.visionEncoder!.weightBytes()).toBe(2 * fp8.visionEncoder!.parameterCount());
    expect(fp8.toString()).toMatch(/, vision, 64 layers/);
  });

  test('image tokens follow each processor: fixed tiles, anyres tiles, dynamic resolution', () => {
    const enc = (id: string) => ModelArchitecture.of(id).visionEncoder!;
    // LLaVA-1.5 resizes every image to one 336 px tile of 24 x 24 patches.
    expect(enc('llava-hf/llava-1.5-7b-hf').tokensPerImage(4000, 3000)).toBe(576);
    expect(enc('llava-hf/llava-1.5-7b-hf').tokensPerImage(100, 100)).toBe(576);
    // LLaVA-NeXT: a 672 x 672 image is 2 x 2 tiles plus the whole image.
    expect(enc('llava-hf/llava-v1.6-mistral-7b-hf').tilesPerImage(672, 672)).toBe(5);
    expect(enc('llava-hf/llava-v1.6-mistral-7b-hf').tokensPerImage(672, 672)).toBe(2880);
    // Llama 4: 144 tokens per 336 px tile after the pixel shuffle; a single tile gets no thumbnail.
    expect(enc('meta-llama/Llama-4-Scout-17B-16E-Instruct').tokensPerImage(336, 336)).toBe(144);
    expect(enc('meta-llama/Llama-4-Scout-17B-16E-Instruct').tilesPerImage(10000, 10000)).toBe(17);
    // Qwen2-VL: 28 px merged units; 448 x 448 is 16 x 16 tokens; Qwen3-VL 32 px units.
    expect(enc('Qwen/Qwen2-VL-7B-Instruct').tokensPerImage(448, 448)).toBe(256);
    expect(enc('Qwen/Qwen3-VL-2B-Instruct').tokensPerImage(1024, 768)).toBe(32 * 24);
    // The processors' pixel cap: 16384 tokens at most.
    expect(enc('Qwen/Qwen3-VL-2B-Instruct').tokensPerImage(20000, 20000)).toBe(16384);
  });

  test('encode FLOPs and tokens never fall as images grow', () => {
    fc.assert(fc.property(fc.constantFrom(...VLMS), fc.integer({ min: 1, max: 8192 }), fc.integer({ min: 1, max: 8192 }),
      fc.integer({ min: 0, max: 2048 }), fc.integer({ min: 0, max: 2048 }), (id, w, h, dw, dh) => {
        const v = ModelArchitecture.of(id).visionEncoder!;
        expect(v.flopsPerImage(w + dw, h + dh)).toBeGreaterThanOrEqual(v.flopsPerImage(w, h));
        expect(v.tokensPerImage(w + dw, h + dh)).toBeGreaterThanOrEqual(v.tokensPerImage(w, h));
        expect(v.flopsPerImage(w, h)).toBeGreaterThan(0);
      }), { numRuns: 300 });
  });

  test('bad encoder figures fail naming the prop', () => {
    const base = {
      name: 'acme/vlm', numLayers: 2, hiddenSize: 64, numAttentionHeads: 4, numKeyValueHeads: 4, intermediateSize: 128, vocabSize: 100,
    };
    const vit = { numLayers: 2, hiddenSize: 64, intermediateSize: 128, numAttentionHeads: 4, patchSize: 14 };
    expect(() => ModelArchitecture.custom({ ...base, visionEncoder: { ...vit, numAttentionHeads: 5 } }))
      .toThrow(/'visionEncoder.numAttentionHeads' is 5.*a divisor of visionEncoder.hiddenSize \(64\)/);
    expect(() => ModelArchitecture.custom({ ...base, visionEncoder: { ...vit, tileSize: 100 } }))
      .toThrow(/'visionEncoder.tileSize' is 100.*a multiple of patchSize \(14\)/);
    expect(() => ModelArchitecture.custom({ ...base, visionEncoder: { ...vit, maxTiles: 4 } })).toThrow(/'visionEncoder.maxTiles' is 4.*only together with tileSize/);
    expect(() => ModelArchitecture.custom({ ...base, visionEncoder: { ...vit, numLayers: 0 } })).toThrow(/'visionEncoder.numLayers' is 0/);
    expect(() => ModelArchitecture.custom({ ...base, visionEncoder: vit }).visionEncoder!.tokensPerImage(0, 10)).toThrow(/'width' is 0/);
  });
});
