import { KernelModel } from './kernels/kernel-model';
import { PropError } from '../common/errors';
import { GpuProfile } from '../gpu/gpu-profile';
import { ModelArchitecture } from '../model/model-architecture';

/** The image size the estimate assumes when the workload names none: a common 1-megapixel photo. */
const DEFAULT_IMAGE_PIXELS = 1024;

/**
 * What encoding a request's images costs on one GPU.
 * @internal
 */
export interface EncodeEstimate {
  /** Images encoded together (a request's, or a batch of several requests'). */
  readonly images: number;
  /** Image size assumed, pixels. */
  readonly width: number;
  readonly height: number;
  /** Tiles the encoder runs per image (1 for dynamic resolution). */
  readonly tilesPerImage: number;
  /** Patches the ViT sees per tile. */
  readonly patchesPerTile: number;
  /** Language-model tokens per image: the prefill processes them besides the prompt's text. */
  readonly tokensPerImage: number;
  /** Floating-point operations of the whole batch. */
  readonly flops: number;
  /** The GPU's roofline for the batch: its BF16 peak for `flops`, or reading the encoder's weights once, whichever is longer. */
  readonly rooflineMs: number;
  /** Predicted time of the batch on the GPU: calibrated GEMM and attention kernels plus the element-wise passes. */
  readonly ms: number;
}

/**
 * The vision encoder's cost per request: the ViT's GEMMs through the calibrated GEMM efficiencies of `KernelModel`,
 * its attention through the calibrated context-attention kernels (bidirectional: twice the causal work, or a
 * sliding window where the encoder uses windows), plus its norms and activations as memory-bound passes. Every
 * kernel is at or above its own roofline, so the estimate never beats the GPU's.
 *
 * Modelled: patch embedding, every ViT layer, the projectors, tiling and dynamic resolution as the model's
 * processor does them (`VisionEncoder`). Not modelled: fetching and decoding the image, the CPU-side resize, the
 * embedding hand-off over NIXL to the prefill worker, and tensor parallelism of the encoder (upstream runs it on one
 * GPU). Images of one batch are encoded as separate sequences (varlen attention), so the cost grows with every image.
 * @internal
 */
export class EncodeCost {
  /**
   * @param arch a vision-language model (`ModelArchitecture.visionEncoder` set)
   * @param gpu the GPU the encoder runs on
   * @param images images encoded together, at least 1
   * @param width image width in pixels (default 1024)
   * @param height image height in pixels (default 1024)
   */
  public static estimate(arch: ModelArchitecture, gpu: GpuProfile, images: number,
    width = DEFAULT_IMAGE_PIXELS, height = DEFAULT_IMAGE_PIXELS): EncodeEstimate {
    const v = arch.visionEncoder;
    if (!v) {
      throw PropError.invalid('EncodeCost', 'model', arch.name, 'a vision-language model (one with a visionEncoder)', 'a text-only model encodes no images');
    }
    PropError.integer('EncodeCost', 'images', images, 1, 4096);
    const kernels = KernelModel.for(gpu);
    const tiles = v.tilesPerImage(width, height) * images;
    const n = v.patchesPerTile(width, height);
    const rows = tiles * n;
    const d = v.hiddenSize;
    const heads = v.numAttentionHeads;
    const gemm = (m: number, out: number, k: number) => EncodeCost.nonDecreasing(m, x => kernels.gemm(x, out, k, 'bf16'));
    const attention = (window: number) =>
      2 * EncodeCost.nonDecreasing(n, x => kernels.contextAttention(1, x, heads, heads, v.headDim, window, 'bf16', 'bf16'));
    // Bidirectional attention over a tile is twice the causal kernel. A window of w patches is twice a causal sliding
    // window of w/2, or the full attention when that is cheaper (a small tile): the smaller of two times that each
    // grow with the tile.
    const fullAttention = attention(0);
    const windowAttention = v.windowPatches > 0 ? Math.min(fullAttention, attention(Math.ceil(v.windowPatches / 2))) : fullAttention;
    const mlp = v.gatedMlp ? gemm(rows, 2 * v.intermediateSize, d) : gemm(rows, v.intermediateSize, d);
    // Two norms, the residual adds and the activation: a few reads and writes of the activations per layer.
    const elementwise = kernels.memoryOp(8 * 2 * rows * d);
    const layer = gemm(rows, 3 * d, d) + gemm(rows, d, d) + mlp + gemm(rows, d, v.intermediateSize) + elementwise;
    const windowLayers = v.numLayers - v.fullAttentionLayers;
    const merged = rows / v.spatialMergeSize ** 2;
    const projector = gemm(merged, v.projectorHiddenSize, d * v.spatialMergeSize ** 2) + gemm(merged, v.outputSize, v.projectorHiddenSize);
    const ms = gemm(rows, d, 3 * v.patchSize ** 2 * v.temporalPatchSize)
      + v.numLayers * layer
      + tiles * (v.fullAttentionLayers * fullAttention + windowLayers * windowAttention)
      + v.numProjectors * projector;

    const flops = images * v.flopsPerImage(width, height);
    // Norm weights are read by no GEMM; leaving them out keeps the bound one the kernels above can never beat.
    const gemmWeightBytes = v.weightBytes() - 2 * 4 * d * v.numLayers;
    const rooflineMs = Math.max(flops / (gpu.bf16Tflops * 1e12), gemmWeightBytes / (gpu.memoryBandwidthGBps * 1e9)) * 1e3;
    return {
      images,
      width,
      height,
      tilesPerImage: v.tilesPerImage(width, height),
      patchesPerTile: n,
      tokensPerImage: v.tokensPerImage(width, height),
      flops,
      rooflineMs,
      ms,
    };
  }

  /**
   * `at(x)` made non-decreasing in the work `x`: the kernel tables interpolate efficiencies between measured shapes,
   * which can dip slightly there. Exact at powers of two, each the running maximum of those below it, and linear in
   * between; a chord between two points above the convex roofline stays above it, so no kernel beats its roofline.
   */
  private static nonDecreasing(x: number, at: (x: number) => number): number {
    let lo = 1;
    let atLo = at(1);
    while (lo * 2 <= x) {
      lo *= 2;
      atLo = Math.max(atLo, at(lo));
    }
    if (x <= lo) return atLo;
    const atHi = Math.max(atLo, at(2 * lo));
    return atLo + (atHi - atLo) * (x - lo) / lo;
  }
}
