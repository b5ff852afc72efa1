/**
 * Precision of the model weights and GEMMs.
 */
export enum Quantization {
  /** BF16 weights (unquantized). */
  BF16 = 'bf16',
  /** FP8 per-tensor weights and activations. */
  FP8 = 'fp8',
  /** FP8 block-scaled weights (DeepSeek-style 128x128 blocks). */
  FP8_BLOCK = 'fp8_block',
  /** NVFP4 weights (Blackwell). */
  NVFP4 = 'nvfp4',
  /** MXFP4 weights (gpt-oss MoE experts). */
  MXFP4 = 'mxfp4',
}

/**
 * Data type of the KV cache.
 */
export enum KvCacheDtype {
  /** Same as the model's activations (BF16). */
  BF16 = 'bf16',
  /** FP8 (E4M3) KV cache: half the memory per token. */
  FP8 = 'fp8',
}
