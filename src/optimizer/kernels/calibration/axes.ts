/**
 * Grid axes of the embedded calibration (log-spaced nodes). The calibration script fits log-efficiencies on
 * exactly these nodes; the runtime interpolates between them.
 * @internal
 */
export class CalibrationAxes {
  /** GEMM: tokens (m), output features (n), input features (k). */
  public static readonly GEMM = [
    [1, 16, 32, 64, 128, 129, 256, 257, 512, 1024, 2048, 4096, 8192, 16384, 32768],
    [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536],
    [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536],
  ];

  /** Prefill attention: sequence length, batch x query heads per GPU, query heads per KV head. */
  public static readonly CONTEXT_ATTENTION = [
    [1, 16, 64, 256, 512, 1024, 2048, 4096, 8192, 16384],
    [1, 4, 16, 64, 256, 1024, 4096, 16384],
    [1, 8, 64],
  ];

  /** Decode attention: cached tokens, batch x KV heads per GPU, query heads per KV head. */
  public static readonly GENERATION_ATTENTION = [
    [2, 8, 32, 128, 512, 2048, 8192, 32768, 131072],
    [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536],
    [1, 2, 4, 8, 16, 32, 64, 128],
  ];

  /** All-reduce and NCCL collectives: message size in elements. */
  public static readonly COLLECTIVE = [
    [128, 512, 2048, 8192, 32768, 131072, 524288, 2097152, 8388608, 33554432, 134217728, 536870912],
  ];

  /**
   * Fused MoE, any shape: tokens per expert hit on the busiest GPU (the expert GEMMs' rows), each expert's
   * intermediate slice per GPU (inter / tp), hidden size, experts hit on the busiest GPU.
   */
  public static readonly MOE = [
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384],
    [32, 128, 512, 2048, 16384],
    [2048, 8192],
    [1, 4, 16, 64, 256],
  ];

  /**
   * Fused MoE of a measured shape (hidden, inter, top-k, experts, tp, ep): tokens. The measured kernels switch tactics
   * between shapes in ways no smooth axis captures (e.g. H100 bf16 Mixtral-8x22B experts at TP8 run 2-4x slower per
   * GPU than at TP4), so each measured shape keeps its own curve and other shapes use the grid above.
   */
  public static readonly MOE_TOKENS = [[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384]];

  /** Head dimensions the attention tables hold. */
  public static readonly HEAD_DIMS = [64, 128, 192, 256];

  /** The grid axes of each calibrated operation, shared by the calibration script and the kernel model. */
  public static forOp(op: 'gemm' | 'context' | 'generation' | 'allreduce' | 'nccl' | 'moe'): number[][] {
    switch (op) {
      case 'gemm': return CalibrationAxes.GEMM;
      case 'context': return CalibrationAxes.CONTEXT_ATTENTION;
      case 'generation': return CalibrationAxes.GENERATION_ATTENTION;
      case 'allreduce': case 'nccl': return CalibrationAxes.COLLECTIVE;
      case 'moe': return CalibrationAxes.MOE;
    }
  }

  /** Sliding windows the attention tables hold, per head dimension (every head dimension also has full attention). */
  public static windows(headDim: number): number[] {
    return headDim === 128 ? [8192] : headDim === 256 ? [] : [128];
  }
}
