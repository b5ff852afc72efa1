import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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

describe('fromConfigJson reads vision_config', () => {
  const write = (body: unknown): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlmcfg-'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(body));
    return path.join(dir, 'config.json');
  };
  const text = (hidden: number) => ({
    num_hidden_layers: 28,
    hidden_size: hidden,
    num_attention_heads: 16,
    num_key_value_heads: 8,
    head_dim: 128,
    intermediate_size: 6144,
    vocab_size: 151936,
    max_position_embeddings: 32768,
  });
  /** The config's encoder against the catalog's (the processor's pixel cap is not in config.json). */
  const sameAsCatalog = (id: string, config: unknown) => {
    const parsed = ModelArchitecture.fromConfigJson(write(config), id).visionEncoder!;
    const catalog = ModelArchitecture.of(id).visionEncoder!;
    expect(parsed.parameterCount()).toBe(catalog.parameterCount());
    expect(parsed.tokensPerImage(1024, 768)).toBe(catalog.tokensPerImage(1024, 768));
    expect(parsed.flopsPerImage(1024, 768)).toBe(catalog.flopsPerImage(1024, 768));
  };

  test('Qwen2-VL (embed_dim and mlp_ratio; hidden_size is the merger output)', () => sameAsCatalog('Qwen/Qwen2-VL-7B-Instruct', {
    ...text(3584),
    text_config: { ...text(3584), num_attention_heads: 28, num_key_value_heads: 4, intermediate_size: 18944, vocab_size: 152064 },
    vision_config: {
      depth: 32, embed_dim: 1280, hidden_size: 3584, mlp_ratio: 4, num_heads: 16, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2,
    },
  }));

  test('Qwen2.5-VL (gated MLP, windows)', () => sameAsCatalog('Qwen/Qwen2.5-VL-7B-Instruct', {
    text_config: { ...text(3584), num_attention_heads: 28, num_key_value_heads: 4, intermediate_size: 18944, vocab_size: 152064 },
    vision_config: {
      depth: 32,
      hidden_size: 1280,
      intermediate_size: 3420,
      num_heads: 16,
      out_hidden_size: 3584,
      patch_size: 14,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
      window_size: 112,
      fullatt_block_indexes: [7, 15, 23, 31],
      hidden_act: 'silu',
    },
  }));

  test('Qwen3-VL (DeepStack mergers)', () => sameAsCatalog('Qwen/Qwen3-VL-2B-Instruct', {
    text_config: { ...text(2048), tie_word_embeddings: true },
    vision_config: {
      depth: 24,
      hidden_size: 1024,
      intermediate_size: 4096,
      num_heads: 16,
      out_hidden_size: 2048,
      patch_size: 16,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
      deepstack_visual_indexes: [5, 11, 17],
      hidden_act: 'gelu_pytorch_tanh',
    },
  }));

  test('LLaVA-NeXT (CLIP tiles, anyres grids)', () => sameAsCatalog('llava-hf/llava-v1.6-mistral-7b-hf', {
    projector_hidden_act: 'gelu',
    image_grid_pinpoints: [[336, 672], [672, 336], [672, 672], [1008, 336], [336, 1008]],
    text_config: {
      num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 32064,
    },
    vision_config: { hidden_size: 1024, intermediate_size: 4096, num_hidden_layers: 24, num_attention_heads: 16, patch_size: 14, image_size: 336 },
  }));

  test('a vision_config without the figures leaves the encoder out', () => {
    const arch = ModelArchitecture.fromConfigJson(write({ text_config: text(2048), vision_config: { depth: 24 } }), 'acme/vlm');
    expect(arch.visionEncoder).toBeUndefined();
    expect(ModelArchitecture.fromConfigJson(write(text(2048)), 'acme/text').visionEncoder).toBeUndefined();
  });
});
