import type { ModelArchitectureProps } from './model-architecture';
import { Quantization, KvCacheDtype } from './precision';

/**
 * Architecture figures of common open models, from their Hugging Face `config.json`
 * (the same field mapping AIConfigurator uses). Aliases are other Hugging Face ids that share
 * the architecture exactly (instruct tunes, re-releases).
 * @internal
 */
export interface CatalogEntry extends Omit<ModelArchitectureProps, 'name' | 'maxContextLength'> {
  readonly id: string;
  readonly aliases?: string[];
  /** Every catalog model states its context length. */
  readonly maxContextLength: number;
}

const QWEN3_VOCAB = 151936;
const LLAMA3_VOCAB = 128256;

const DEEPSEEK_V3 = {
  numLayers: 61,
  hiddenSize: 7168,
  numAttentionHeads: 128,
  numKeyValueHeads: 128,
  intermediateSize: 18432,
  vocabSize: 129280,
  maxContextLength: 163840,
  numExperts: 256,
  expertsPerToken: 8,
  moeIntermediateSize: 2048,
  numSharedExperts: 1,
  firstDenseLayers: 3,
  qLoraRank: 1536,
  kvLoraRank: 512,
  qkNopeHeadDim: 128,
  qkRopeHeadDim: 64,
  vHeadDim: 128,
  quantization: Quantization.FP8_BLOCK,
  kvCacheDtype: KvCacheDtype.FP8,
};

const QWEN3_235B = {
  numLayers: 94,
  hiddenSize: 4096,
  numAttentionHeads: 64,
  numKeyValueHeads: 4,
  headDim: 128,
  intermediateSize: 12288,
  vocabSize: QWEN3_VOCAB,
  maxContextLength: 40960,
  numExperts: 128,
  expertsPerToken: 8,
  moeIntermediateSize: 1536,
};

const QWEN3_32B = {
  numLayers: 64,
  hiddenSize: 5120,
  numAttentionHeads: 64,
  numKeyValueHeads: 8,
  headDim: 128,
  intermediateSize: 25600,
  vocabSize: QWEN3_VOCAB,
  maxContextLength: 40960,
};

const LLAMA31_70B = {
  numLayers: 80,
  hiddenSize: 8192,
  numAttentionHeads: 64,
  numKeyValueHeads: 8,
  headDim: 128,
  intermediateSize: 28672,
  vocabSize: LLAMA3_VOCAB,
  maxContextLength: 131072,
};

const GPT_OSS = {
  hiddenSize: 2880,
  numAttentionHeads: 64,
  numKeyValueHeads: 8,
  headDim: 64,
  intermediateSize: 2880,
  vocabSize: 201088,
  maxContextLength: 131072,
  expertsPerToken: 4,
  moeIntermediateSize: 2880,
  slidingWindow: 128,
  quantization: Quantization.MXFP4,
};

/** @internal */
export const MODEL_CATALOG: CatalogEntry[] = [
  // Qwen3 dense
  {
    id: 'Qwen/Qwen3-0.6B',
    numLayers: 28,
    hiddenSize: 1024,
    numAttentionHeads: 16,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 3072,
    vocabSize: QWEN3_VOCAB,
    maxContextLength: 40960,
    tieWordEmbeddings: true,
  },
  {
    id: 'Qwen/Qwen3-8B',
    numLayers: 36,
    hiddenSize: 4096,
    numAttentionHeads: 32,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 12288,
    vocabSize: QWEN3_VOCAB,
    maxContextLength: 40960,
  },
  { id: 'Qwen/Qwen3-32B', ...QWEN3_32B },
  { id: 'Qwen/Qwen3-32B-FP8', ...QWEN3_32B, quantization: Quantization.FP8_BLOCK, kvCacheDtype: KvCacheDtype.FP8 },
  // Qwen3 MoE
  {
    id: 'Qwen/Qwen3-30B-A3B',
    numLayers: 48,
    hiddenSize: 2048,
    numAttentionHeads: 32,
    numKeyValueHeads: 4,
    headDim: 128,
    intermediateSize: 6144,
    vocabSize: QWEN3_VOCAB,
    maxContextLength: 40960,
    numExperts: 128,
    expertsPerToken: 8,
    moeIntermediateSize: 768,
  },
  { id: 'Qwen/Qwen3-235B-A22B', ...QWEN3_235B },
  { id: 'Qwen/Qwen3-235B-A22B-FP8', ...QWEN3_235B, quantization: Quantization.FP8_BLOCK, kvCacheDtype: KvCacheDtype.FP8 },
  // Llama 3.1 (3.3-70B shares the 3.1-70B architecture)
  {
    id: 'meta-llama/Meta-Llama-3.1-8B',
    aliases: ['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Meta-Llama-3.1-8B-Instruct'],
    numLayers: 32,
    hiddenSize: 4096,
    numAttentionHeads: 32,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 14336,
    vocabSize: LLAMA3_VOCAB,
    maxContextLength: 131072,
  },
  {
    id: 'meta-llama/Meta-Llama-3.1-70B',
    aliases: ['meta-llama/Llama-3.1-70B', 'meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/Meta-Llama-3.1-70B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct'],
    ...LLAMA31_70B,
  },
  {
    id: 'meta-llama/Meta-Llama-3.1-405B',
    aliases: ['meta-llama/Llama-3.1-405B', 'meta-llama/Llama-3.1-405B-Instruct', 'meta-llama/Meta-Llama-3.1-405B-Instruct'],
    numLayers: 126,
    hiddenSize: 16384,
    numAttentionHeads: 128,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 53248,
    vocabSize: LLAMA3_VOCAB,
    maxContextLength: 131072,
  },
  { id: 'nvidia/Llama-3.1-70B-Instruct-FP8', ...LLAMA31_70B, quantization: Quantization.FP8, kvCacheDtype: KvCacheDtype.FP8 },
  // DeepSeek V3 / R1 (MLA + MoE, FP8 block-scaled checkpoints)
  { id: 'deepseek-ai/DeepSeek-V3', aliases: ['deepseek-ai/DeepSeek-V3-0324'], ...DEEPSEEK_V3 },
  { id: 'deepseek-ai/DeepSeek-R1', aliases: ['deepseek-ai/DeepSeek-R1-0528'], ...DEEPSEEK_V3 },
  // gpt-oss (MXFP4 experts, alternating sliding-window and full attention)
  { id: 'openai/gpt-oss-120b', ...GPT_OSS, numLayers: 36, numExperts: 128, slidingWindowLayers: 18 },
  { id: 'openai/gpt-oss-20b', ...GPT_OSS, numLayers: 24, numExperts: 32, slidingWindowLayers: 12 },
  // Mixtral
  {
    id: 'mistralai/Mixtral-8x7B-v0.1',
    aliases: ['mistralai/Mixtral-8x7B-Instruct-v0.1'],
    numLayers: 32,
    hiddenSize: 4096,
    numAttentionHeads: 32,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 14336,
    vocabSize: 32000,
    maxContextLength: 32768,
    numExperts: 8,
    expertsPerToken: 2,
    moeIntermediateSize: 14336,
  },
  {
    id: 'mistralai/Mixtral-8x22B-v0.1',
    numLayers: 56,
    hiddenSize: 6144,
    numAttentionHeads: 48,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 16384,
    vocabSize: 32000,
    maxContextLength: 65536,
    numExperts: 8,
    expertsPerToken: 2,
    moeIntermediateSize: 16384,
  },
];
