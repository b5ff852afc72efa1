import { Backend } from './backend';

/** CUDA context, cuBLAS/NCCL workspaces and activation peak per GPU when nothing better is known (3.5 GiB). */
const DEFAULT_RUNTIME_RESERVE_BYTES = 3.5 * 1024 ** 3;

/**
 * How much GPU memory each engine leaves for the KV cache. The three engines read their memory knob differently:
 * - vLLM `--gpu-memory-utilization` (default 0.9) caps weights + activations + KV as a share of *total* memory;
 * - SGLang `--mem-fraction-static` caps weights + KV pool as a share of total; activations live in the rest;
 * - TRT-LLM `free_gpu_memory_fraction` (default 0.9) is the share of memory still *free* after weights and activations.
 * @internal
 */
export class EngineMemory {
  /**
   * The engine's own default for its memory knob. SGLang lowers its default as TP grows (more NCCL/graph buffers);
   * this follows its classic table (0.88 at TP1 down to 0.79 at TP16).
   */
  public static defaultFraction(backend: Backend, tensorParallel = 1): number {
    switch (backend) {
      case Backend.VLLM: return 0.9;
      case Backend.TRTLLM: return 0.9;
      case Backend.SGLANG:
        if (tensorParallel >= 16) return 0.79;
        if (tensorParallel >= 8) return 0.81;
        if (tensorParallel >= 4) return 0.85;
        if (tensorParallel >= 2) return 0.87;
        return 0.88;
    }
  }

  /**
   * Bytes per GPU the engine gives the KV cache (never negative; 0 means the weights do not leave room).
   * @param opts.fraction the engine's memory knob; defaults to `defaultFraction`
   * @param opts.runtimeReserveBytes activations + CUDA context + workspaces per GPU; defaults to 3.5 GiB
   */
  public static kvCacheBudgetBytes(opts: {
    readonly backend: Backend;
    readonly gpuMemoryBytes: number;
    readonly weightBytesPerGpu: number;
    readonly tensorParallel?: number;
    readonly fraction?: number;
    readonly runtimeReserveBytes?: number;
  }): number {
    const fraction = opts.fraction ?? EngineMemory.defaultFraction(opts.backend, opts.tensorParallel);
    const reserve = opts.runtimeReserveBytes ?? DEFAULT_RUNTIME_RESERVE_BYTES;
    const total = opts.gpuMemoryBytes;
    const weights = opts.weightBytesPerGpu;
    let budget: number;
    switch (opts.backend) {
      case Backend.VLLM: budget = total * fraction - weights - reserve; break;
      case Backend.SGLANG: budget = total * fraction - weights; break;
      case Backend.TRTLLM: budget = (total - weights - reserve) * fraction; break;
    }
    return Math.max(0, Math.floor(budget));
  }
}
