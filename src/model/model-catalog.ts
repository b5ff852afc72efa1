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

// Vision encoders of the vision-language models the upstream multimodal examples serve (their `vision_config`).
/** CLIP ViT-L/14 at 336 px (LLaVA, Phi-3.5-vision). */
const CLIP_L_336 = { numLayers: 24, hiddenSize: 1024, intermediateSize: 4096, numAttentionHeads: 16, patchSize: 14, tileSize: 336 };
/** Qwen2-VL's 675M ViT: 14 px patches over two frames, 2x2 merger, dynamic resolution up to 12845056 pixels. */
const QWEN2_VL_VIT = {
  numLayers: 32,
  hiddenSize: 1280,
  intermediateSize: 5120,
  numAttentionHeads: 16,
  patchSize: 14,
  temporalPatchSize: 2,
  spatialMergeSize: 2,
  maxPatchesPerImage: 65536,
};
/** Qwen3-VL's ViT (SigLIP-2 shaped), 16 px patches, 2x2 merger plus three DeepStack mergers, up to 16777216 pixels. */
const QWEN3_VL_VIT = { patchSize: 16, temporalPatchSize: 2, spatialMergeSize: 2, numProjectors: 4, maxPatchesPerImage: 65536, numAttentionHeads: 16 };
const QWEN3_VL_VIT_SMALL = { ...QWEN3_VL_VIT, numLayers: 24, hiddenSize: 1024, intermediateSize: 4096 };
const QWEN3_VL_VIT_LARGE = { ...QWEN3_VL_VIT, numLayers: 27, hiddenSize: 1152, intermediateSize: 4304 };
/** Llama 4's ViT: 336 px tiles, up to 16 plus a thumbnail, pixel shuffle 0.5, 4096-wide projector. */
const LLAMA4_VIT = {
  numLayers: 34,
  hiddenSize: 1408,
  intermediateSize: 5632,
  numAttentionHeads: 16,
  patchSize: 14,
  tileSize: 336,
  maxTiles: 16,
  thumbnailTile: true,
  spatialMergeSize: 2,
  projectorHiddenSize: 4096,
};
/** Llama 4 text: 48 layers, 40 query and 8 KV heads, experts of 8192 with one shared expert. */
const LLAMA4_TEXT = {
  numLayers: 48,
  hiddenSize: 5120,
  numAttentionHeads: 40,
  numKeyValueHeads: 8,
  headDim: 128,
  vocabSize: 202048,
  expertsPerToken: 1,
  moeIntermediateSize: 8192,
  numSharedExperts: 1,
  visionEncoder: LLAMA4_VIT,
};
const QWEN2_7B_TEXT = {
  numLayers: 28, hiddenSize: 3584, numAttentionHeads: 28, numKeyValueHeads: 4, headDim: 128, intermediateSize: 18944, vocabSize: 152064,
};
const QWEN3_VL_30B_A3B = {
  numLayers: 48,
  hiddenSize: 2048,
  numAttentionHeads: 32,
  numKeyValueHeads: 4,
  headDim: 128,
  intermediateSize: 6144,
  vocabSize: QWEN3_VOCAB,
  maxContextLength: 262144,
  numExperts: 128,
  expertsPerToken: 8,
  moeIntermediateSize: 768,
  visionEncoder: QWEN3_VL_VIT_LARGE,
};
const QWEN3_VL_32B = { ...QWEN3_32B, maxContextLength: 262144, visionEncoder: QWEN3_VL_VIT_LARGE };

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
  // Vision-language models of the upstream multimodal examples (text_config for the language model, vision_config
  // for the encoder). FP8 checkpoints keep the encoder in BF16.
  {
    id: 'Qwen/Qwen3-VL-2B-Instruct',
    numLayers: 28,
    hiddenSize: 2048,
    numAttentionHeads: 16,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 6144,
    vocabSize: QWEN3_VOCAB,
    maxContextLength: 262144,
    tieWordEmbeddings: true,
    visionEncoder: QWEN3_VL_VIT_SMALL,
  },
  {
    id: 'Qwen/Qwen3-VL-4B-Instruct',
    numLayers: 36,
    hiddenSize: 2560,
    numAttentionHeads: 32,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 9728,
    vocabSize: QWEN3_VOCAB,
    maxContextLength: 262144,
    tieWordEmbeddings: true,
    visionEncoder: QWEN3_VL_VIT_SMALL,
  },
  { id: 'Qwen/Qwen3-VL-30B-A3B-Instruct', ...QWEN3_VL_30B_A3B },
  { id: 'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8', ...QWEN3_VL_30B_A3B, quantization: Quantization.FP8_BLOCK, kvCacheDtype: KvCacheDtype.FP8 },
  { id: 'Qwen/Qwen3-VL-32B-Instruct', ...QWEN3_VL_32B },
  { id: 'Qwen/Qwen3-VL-32B-Instruct-FP8', ...QWEN3_VL_32B, quantization: Quantization.FP8_BLOCK, kvCacheDtype: KvCacheDtype.FP8 },
  {
    id: 'Qwen/Qwen2.5-VL-7B-Instruct',
    ...QWEN2_7B_TEXT,
    maxContextLength: 128000,
    // Qwen2.5-VL's ViT: a SwiGLU MLP, and windowed attention (112 px windows) in all but 4 layers.
    visionEncoder: { ...QWEN2_VL_VIT, intermediateSize: 3420, gatedMlp: true, windowPatches: 64, fullAttentionLayers: 4 },
  },
  { id: 'Qwen/Qwen2-VL-7B-Instruct', ...QWEN2_7B_TEXT, maxContextLength: 32768, visionEncoder: QWEN2_VL_VIT },
  {
    id: 'Qwen/Qwen2-VL-2B-Instruct',
    numLayers: 28,
    hiddenSize: 1536,
    numAttentionHeads: 12,
    numKeyValueHeads: 2,
    headDim: 128,
    intermediateSize: 8960,
    vocabSize: QWEN3_VOCAB,
    maxContextLength: 32768,
    tieWordEmbeddings: true,
    visionEncoder: QWEN2_VL_VIT,
  },
  {
    id: 'llava-hf/llava-1.5-7b-hf',
    // Vicuna-7B v1.5 (Llama 2) behind a two-layer MLP projector.
    numLayers: 32,
    hiddenSize: 4096,
    numAttentionHeads: 32,
    numKeyValueHeads: 32,
    intermediateSize: 11008,
    vocabSize: 32064,
    maxContextLength: 4096,
    visionEncoder: { ...CLIP_L_336, projectorHiddenSize: 4096 },
  },
  {
    id: 'llava-hf/llava-v1.6-mistral-7b-hf',
    // Mistral-7B v0.2; "anyres" cuts an image into up to 4 tiles of 336 px plus the whole image.
    numLayers: 32,
    hiddenSize: 4096,
    numAttentionHeads: 32,
    numKeyValueHeads: 8,
    headDim: 128,
    intermediateSize: 14336,
    vocabSize: 32064,
    maxContextLength: 32768,
    visionEncoder: { ...CLIP_L_336, projectorHiddenSize: 4096, maxTiles: 4, thumbnailTile: true },
  },
  {
    id: 'microsoft/Phi-3.5-vision-instruct',
    // Phi-3.5-mini; HD crops of 336 px (4 by default) plus the whole image, 2x2 patches merged per token.
    numLayers: 32,
    hiddenSize: 3072,
    numAttentionHeads: 32,
    numKeyValueHeads: 32,
    intermediateSize: 8192,
    vocabSize: 32064,
    maxContextLength: 131072,
    visionEncoder: { ...CLIP_L_336, spatialMergeSize: 2, projectorHiddenSize: 3072, maxTiles: 4, thumbnailTile: true },
  },
  // Llama 4: every layer of Scout has experts, every other layer of Maverick (the rest use a dense 16384 MLP).
  { id: 'meta-llama/Llama-4-Scout-17B-16E-Instruct', ...LLAMA4_TEXT, intermediateSize: 8192, numExperts: 16, maxContextLength: 10485760 },
  {
    id: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',
    ...LLAMA4_TEXT,
    intermediateSize: 16384,
    numExperts: 128,
    firstDenseLayers: 24,
    maxContextLength: 1048576,
  },
  {
    id: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8',
    // FP8 experts; the checkpoint ships no KV-cache scales, so the KV cache stays BF16.
    ...LLAMA4_TEXT,
    intermediateSize: 16384,
    numExperts: 128,
    firstDenseLayers: 24,
    maxContextLength: 1048576,
    quantization: Quantization.FP8,
    kvCacheDtype: KvCacheDtype.BF16,
  },
];
