import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { KvCacheDtype, ModelArchitecture, Quantization } from '../../src';

function writeConfig(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfcfg-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(body));
  return path.join(dir, 'config.json');
}

const LLAMA_8B_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  num_hidden_layers: 32,
  hidden_size: 4096,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  intermediate_size: 14336,
  vocab_size: 128256,
  max_position_embeddings: 131072,
  tie_word_embeddings: false,
};

describe('catalog', () => {
  test('published parameter counts', () => {
    // Published sizes (billions) the figures must reproduce within 1.5 %.
    const published: Array<[string, number]> = [
      ['meta-llama/Meta-Llama-3.1-8B', 8.03], ['meta-llama/Meta-Llama-3.1-70B', 70.6], ['meta-llama/Meta-Llama-3.1-405B', 405.9],
      ['Qwen/Qwen3-32B', 32.8], ['Qwen/Qwen3-30B-A3B', 30.5], ['Qwen/Qwen3-235B-A22B', 235.1], ['deepseek-ai/DeepSeek-V3', 671],
      ['openai/gpt-oss-120b', 116.8], ['openai/gpt-oss-20b', 20.9], ['mistralai/Mixtral-8x7B-v0.1', 46.7], ['mistralai/Mixtral-8x22B-v0.1', 140.6],
    ];
    for (const [id, billions] of published) {
      expect(Math.abs(ModelArchitecture.of(id).parameterCount() / 1e9 - billions) / billions).toBeLessThan(0.015);
    }
  });

  test('active parameters of MoE models', () => {
    expect(ModelArchitecture.of('Qwen/Qwen3-235B-A22B').activeParameterCount() / 1e9).toBeCloseTo(22.2, 0);
    expect(ModelArchitecture.of('Qwen/Qwen3-30B-A3B').activeParameterCount() / 1e9).toBeCloseTo(3.3, 0);
    expect(ModelArchitecture.of('deepseek-ai/DeepSeek-R1').activeParameterCount() / 1e9).toBeCloseTo(37.6, 0);
    const dense = ModelArchitecture.of('Qwen/Qwen3-8B');
    expect(dense.activeParameterCount()).toBe(dense.parameterCount());
  });

  test('lookup ignores case, accepts aliases and unique bare names, keeps the caller\'s id', () => {
    expect(ModelArchitecture.of('qwen/qwen3-32b').name).toBe('Qwen/Qwen3-32B');
    expect(ModelArchitecture.of('meta-llama/Llama-3.1-8B-Instruct').name).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(ModelArchitecture.of('Qwen3-8B').name).toBe('Qwen/Qwen3-8B');
    expect(ModelArchitecture.tryOf('acme/unknown')).toBeUndefined();
  });

  test('unknown id lists the known ones', () => {
    expect(() => ModelArchitecture.of('acme/unknown-7b')).toThrow(
      /\[ModelArchitecture.of\] 'huggingFaceId' is 'acme\/unknown-7b': not in the model catalog.*allowed: one of .*Qwen\/Qwen3-32B/);
  });

  test('knownIds is sorted and resolves', () => {
    const ids = ModelArchitecture.knownIds();
    expect([...ids].sort((a, b) => a.localeCompare(b, 'en'))).toEqual(ids);
    for (const id of ids) expect(ModelArchitecture.of(id).name).toBe(id);
  });

  test('checkpoint precision drives the defaults', () => {
    expect(ModelArchitecture.of('Qwen/Qwen3-32B-FP8').quantization).toBe(Quantization.FP8_BLOCK);
    expect(ModelArchitecture.of('Qwen/Qwen3-32B-FP8').kvCacheDtype).toBe(KvCacheDtype.FP8);
    expect(ModelArchitecture.of('openai/gpt-oss-120b').quantization).toBe(Quantization.MXFP4);
    expect(ModelArchitecture.of('openai/gpt-oss-120b').kvCacheDtype).toBe(KvCacheDtype.BF16);
    expect(ModelArchitecture.of('Qwen/Qwen3-32B').kvCacheDtype).toBe(KvCacheDtype.BF16);
  });
});

describe('memory', () => {
  test('weight bytes follow the precision', () => {
    const m = ModelArchitecture.of('meta-llama/Meta-Llama-3.1-8B');
    // 8.03e9 params in bf16; fp8 halves every linear layer but not the 1.05e9 embedding + head parameters.
    expect(m.weightBytes()).toBeCloseTo(m.parameterCount() * 2, -3);
    expect(m.weightBytes(Quantization.FP8)).toBeCloseTo(m.parameterCount() + 2 * 128256 * 4096 + 65 * 4096, -3);
    expect(m.weightBytes(Quantization.NVFP4)).toBeLessThan(m.weightBytes(Quantization.FP8));
  });

  test('gpt-oss-120b fits one 80 GB GPU in MXFP4 (about 65 GB on disk)', () => {
    const gb = ModelArchitecture.of('openai/gpt-oss-120b').weightBytes() / 1e9;
    expect(gb).toBeGreaterThan(60);
    expect(gb).toBeLessThan(68);
  });

  test('KV cache per token: GQA and MLA', () => {
    // Llama-3.1-8B: 32 layers x 2 (K,V) x 8 heads x 128 dims x 2 bytes.
    expect(ModelArchitecture.of('meta-llama/Meta-Llama-3.1-8B').kvCacheBytesPerToken()).toBe(131072);
    expect(ModelArchitecture.of('meta-llama/Meta-Llama-3.1-8B').kvCacheBytesPerToken(KvCacheDtype.FP8)).toBe(65536);
    // DeepSeek-V3: 61 layers x (512 latent + 64 rope) x 1 byte (fp8 checkpoint).
    expect(ModelArchitecture.of('deepseek-ai/DeepSeek-V3').kvCacheBytesPerToken()).toBe(61 * 576);
  });

  test('sliding-window layers cap their KV at the window', () => {
    const m = ModelArchitecture.of('openai/gpt-oss-120b');
    const perLayerToken = 2 * 8 * 64 * 2;
    expect(m.kvCacheBytesPerSequence(1000)).toBe(perLayerToken * (18 * 1000 + 18 * 128));
    expect(m.kvCacheBytesPerSequence(100)).toBe(perLayerToken * 36 * 100);
    const dense = ModelArchitecture.of('Qwen/Qwen3-8B');
    expect(dense.kvCacheBytesPerSequence(777)).toBe(777 * dense.kvCacheBytesPerToken());
  });

  test('memory grows with every figure (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 128 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: 16 }),
      (layers, heads, kvDiv, inter, headDimUnit) => {
        const kvHeads = Math.max(1, Math.floor(heads / kvDiv));
        fc.pre(heads % kvHeads === 0);
        const base = {
          name: 'x',
          numLayers: layers,
          hiddenSize: heads * 64,
          numAttentionHeads: heads,
          numKeyValueHeads: kvHeads,
          headDim: headDimUnit * 16,
          intermediateSize: inter,
          vocabSize: 32000,
        };
        const a = ModelArchitecture.custom(base);
        const b = ModelArchitecture.custom({ ...base, numLayers: layers + 1 });
        expect(b.parameterCount()).toBeGreaterThan(a.parameterCount());
        expect(b.kvCacheBytesPerToken()).toBeGreaterThan(a.kvCacheBytesPerToken());
        expect(a.weightBytes(Quantization.FP8)).toBeLessThan(a.weightBytes(Quantization.BF16));
        expect(a.kvCacheBytesPerToken(KvCacheDtype.FP8) * 2).toBe(a.kvCacheBytesPerToken(KvCacheDtype.BF16));
      }));
  });
});

describe('custom', () => {
  const base = { name: 'acme/tiny', numLayers: 4, hiddenSize: 512, numAttentionHeads: 8, numKeyValueHeads: 2, intermediateSize: 1024, vocabSize: 1000 };

  test('defaults', () => {
    const m = ModelArchitecture.custom(base);
    expect(m.headDim).toBe(64);
    expect(m.isMoe).toBe(false);
    expect(m.isMla).toBe(false);
    expect(m.maxContextLength).toBe(131072);
    expect(m.quantization).toBe(Quantization.BF16);
    expect(m.toString()).toBe('acme/tiny (dense, 4 layers, 0.0B params, bf16)');
  });

  test.each([
    [{ numLayers: 0 }, /\[ModelArchitecture.custom\] 'numLayers' is 0: allowed: a whole number >= 1/],
    [{ numKeyValueHeads: 3 }, /'numKeyValueHeads' is 3: allowed: a divisor of numAttentionHeads \(8\)/],
    [{ hiddenSize: 500 }, /'headDim' is undefined: hiddenSize 500 is not a multiple of numAttentionHeads 8\. allowed: a whole number; set it explicitly/],
    [{ numExperts: 8 }, /'expertsPerToken' is undefined: allowed: a whole number from 1 to numExperts \(8\)/],
    [{ numExperts: 8, expertsPerToken: 9 }, /'expertsPerToken' is 9/],
    [{ numExperts: 8, expertsPerToken: 2, firstDenseLayers: 4 }, /'firstDenseLayers' is 4: allowed: fewer than numLayers \(4\)/],
    [{ slidingWindowLayers: 2 }, /'slidingWindowLayers' is 2: allowed: only together with slidingWindow/],
    [{ headDim: 1.5 }, /'headDim' is 1.5: allowed: a whole number >= 1/],
    [{ name: ' ' }, /'name' is ' ': allowed: a non-empty model name/],
    [{ quantization: 'int4' as Quantization }, /'quantization' is 'int4': allowed: bf16, fp8, fp8_block, nvfp4, mxfp4/],
  ])('rejects %j', (override, message) => {
    expect(() => ModelArchitecture.custom({ ...base, ...override })).toThrow(message);
  });
});

describe('fromConfigJson', () => {
  test('maps a dense Llama config like the catalog entry', () => {
    const m = ModelArchitecture.fromConfigJson(writeConfig({ 'config.json': LLAMA_8B_CONFIG }), 'my/llama');
    const cat = ModelArchitecture.of('meta-llama/Meta-Llama-3.1-8B');
    expect(m.name).toBe('my/llama');
    expect(m.parameterCount()).toBe(cat.parameterCount());
    expect(m.kvCacheBytesPerToken()).toBe(cat.kvCacheBytesPerToken());
    expect(m.headDim).toBe(128);
  });

  test('name defaults to _name_or_path, then the directory', () => {
    expect(ModelArchitecture.fromConfigJson(writeConfig({ 'config.json': { ...LLAMA_8B_CONFIG, _name_or_path: 'org/x' } })).name).toBe('org/x');
    const p = writeConfig({ 'config.json': LLAMA_8B_CONFIG });
    expect(ModelArchitecture.fromConfigJson(p).name).toBe(path.basename(path.dirname(p)));
  });

  test('DeepSeek-style MoE + MLA config with fp8 block quantization', () => {
    const m = ModelArchitecture.fromConfigJson(writeConfig({
      'config.json': {
        num_hidden_layers: 61,
        hidden_size: 7168,
        num_attention_heads: 128,
        num_key_value_heads: 128,
        intermediate_size: 18432,
        vocab_size: 129280,
        max_position_embeddings: 163840,
        n_routed_experts: 256,
        num_experts_per_tok: 8,
        moe_intermediate_size: 2048,
        n_shared_experts: 1,
        first_k_dense_replace: 3,
        q_lora_rank: 1536,
        kv_lora_rank: 512,
        qk_nope_head_dim: 128,
        qk_rope_head_dim: 64,
        v_head_dim: 128,
        quantization_config: { quant_method: 'fp8', weight_block_size: [128, 128] },
      },
    }), 'ds');
    const cat = ModelArchitecture.of('deepseek-ai/DeepSeek-V3');
    expect(m.parameterCount()).toBe(cat.parameterCount());
    expect(m.kvCacheBytesPerToken()).toBe(cat.kvCacheBytesPerToken());
    expect(m.quantization).toBe(Quantization.FP8_BLOCK);
    expect(m.isMla && m.isMoe).toBe(true);
  });

  test('gpt-oss layer_types and mxfp4; multimodal text_config; ModelOpt hf_quant_config.json', () => {
    const oss = ModelArchitecture.fromConfigJson(writeConfig({
      'config.json': {
        num_hidden_layers: 4,
        hidden_size: 2880,
        num_attention_heads: 64,
        num_key_value_heads: 8,
        head_dim: 64,
        intermediate_size: 2880,
        vocab_size: 201088,
        num_local_experts: 32,
        num_experts_per_tok: 4,
        sliding_window: 128,
        layer_types: ['sliding_attention', 'full_attention', 'sliding_attention', 'full_attention'],
        quantization_config: { quant_method: 'mxfp4' },
      },
    }), 'oss');
    expect([oss.slidingWindow, oss.slidingWindowLayers, oss.quantization, oss.moeIntermediateSize]).toEqual([128, 2, Quantization.MXFP4, 2880]);

    const mm = ModelArchitecture.fromConfigJson(writeConfig({ 'config.json': { architectures: ['X'], text_config: LLAMA_8B_CONFIG } }), 'mm');
    expect(mm.numLayers).toBe(32);

    const mo = ModelArchitecture.fromConfigJson(writeConfig({
      'config.json': LLAMA_8B_CONFIG, 'hf_quant_config.json': { quantization: { quant_algo: 'NVFP4', kv_cache_quant_algo: 'FP8' } },
    }), 'mo');
    expect([mo.quantization, mo.kvCacheDtype]).toEqual([Quantization.NVFP4, KvCacheDtype.FP8]);
  });

  test('Qwen configs with sliding_window but use_sliding_window false attend fully', () => {
    const m = ModelArchitecture.fromConfigJson(writeConfig({ 'config.json': { ...LLAMA_8B_CONFIG, sliding_window: 4096, use_sliding_window: false } }), 'q');
    expect(m.slidingWindow).toBe(0);
  });

  test('errors name the file, the field and what is allowed', () => {
    expect(() => ModelArchitecture.fromConfigJson('/nonexistent/config.json')).toThrow(
      /\[ModelArchitecture.fromConfigJson\(\/nonexistent\/config.json\)\] 'configPath' is '\/nonexistent\/config.json': .*allowed: a readable Hugging Face config.json/);
    const { hidden_size: _h, ...noHidden } = LLAMA_8B_CONFIG;
    expect(() => ModelArchitecture.fromConfigJson(writeConfig({ 'config.json': noHidden }), 'x')).toThrow(/'hidden_size' is undefined: allowed: a number in config.json/);
    expect(() => ModelArchitecture.fromConfigJson(writeConfig({ 'config.json': { ...LLAMA_8B_CONFIG, quantization_config: { quant_method: 'awq' } } }), 'x'))
      .toThrow(/'quantization_config.quant_method' is 'awq': this checkpoint precision is not modelled.*allowed: fp8, mxfp4, modelopt, compressed-tensors/);
  });

  test('a malformed hf_quant_config.json next to config.json names the file', () => {
    const config = writeConfig({ 'config.json': LLAMA_8B_CONFIG });
    fs.writeFileSync(path.join(path.dirname(config), 'hf_quant_config.json'), '{ not json');
    expect(() => ModelArchitecture.fromConfigJson(config, 'x')).toThrow(
      /\[ModelArchitecture.fromConfigJson\(.*config.json\)\] 'hf_quant_config.json' is '.*hf_quant_config.json': .*allowed: a readable ModelOpt hf_quant_config.json/);
  });
});
