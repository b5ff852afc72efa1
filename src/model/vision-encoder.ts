import { PropError } from '../common/errors';

/**
 * Figures of a vision-language model's image encoder (a ViT plus the projector that maps its patches into the
 * language model), as in the `vision_config` of its Hugging Face `config.json`.
 */
export interface VisionEncoderProps {
  /** Transformer layers of the ViT (`depth`, `num_hidden_layers`). */
  readonly numLayers: number;
  /** Hidden size of the ViT (`embed_dim`, `hidden_size`). */
  readonly hiddenSize: number;
  /** Intermediate size of the ViT's MLP (`intermediate_size`, or `mlp_ratio` x `embed_dim`). */
  readonly intermediateSize: number;
  /** Attention heads of the ViT (`num_heads`, `num_attention_heads`). */
  readonly numAttentionHeads: number;
  /** Side of one square patch in pixels (`patch_size`). */
  readonly patchSize: number;
  /**
   * True when the MLP is gated (SwiGLU: gate, up and down projections), as in Qwen2.5-VL; false for the two-matrix
   * GELU MLP of CLIP, Qwen2-VL, Qwen3-VL and Llama 4.
   * @default false
   */
  readonly gatedMlp?: boolean;
  /**
   * Frames one patch spans (`temporal_patch_size`); Qwen-VL encoders repeat a still image to fill them.
   * @default 1
   */
  readonly temporalPatchSize?: number;
  /**
   * Patches merged per side into one language-model token (`spatial_merge_size`; Llama 4's pixel shuffle 0.5 is 2).
   * @default 1
   */
  readonly spatialMergeSize?: number;
  /**
   * Hidden size of the projector between the merged patches and the language model.
   * @default - hiddenSize x spatialMergeSize^2
   */
  readonly projectorHiddenSize?: number;
  /**
   * Projectors the patches go through (Qwen3-VL's DeepStack feeds three intermediate layers through mergers of their
   * own besides the final one: 4).
   * @default 1
   */
  readonly numProjectors?: number;
  /**
   * Side in pixels of the square tiles the encoder runs on (CLIP-336 and Llama 4: 336). Leave it unset for a
   * dynamic-resolution encoder (Qwen-VL), which runs on the image at its own size.
   * @default - dynamic resolution
   */
  readonly tileSize?: number;
  /**
   * Most tiles one image is cut into (LLaVA-1.5: 1, LLaVA-NeXT: 4, Llama 4: 16).
   * @default 1
   */
  readonly maxTiles?: number;
  /**
   * True when an image cut into several tiles also gets one downscaled tile of the whole image.
   * @default false
   */
  readonly thumbnailTile?: boolean;
  /**
   * Most patches one image becomes with dynamic resolution (the processor's `max_pixels` / patchSize^2); larger
   * images are downscaled to it.
   * @default - no limit
   */
  readonly maxPatchesPerImage?: number;
  /**
   * Dynamic resolution: windowed attention over this many patches in all layers but `fullAttentionLayers`
   * (Qwen2.5-VL: 64, windows of 112 x 112 pixels).
   * @default - every layer attends over the whole image
   */
  readonly windowPatches?: number;
  /**
   * Layers that attend over the whole image when `windowPatches` is set (Qwen2.5-VL: 4).
   * @default 0
   */
  readonly fullAttentionLayers?: number;
}

/**
 * The image encoder of a vision-language model: its size (for memory checks on encode workers) and the work one image
 * costs (for the optimizer's encode-cost model). Weights are counted at BF16, the precision checkpoints keep the
 * encoder at even when they quantize the language model.
 */
export class VisionEncoder {
  /**
   * An encoder described by its figures. Throws naming the prop, value and what is allowed when a figure is invalid.
   * @param props the ViT's shape, patching and projector
   * @param outputSize hidden size of the language model the projector feeds
   * @param where what to name in errors
   */
  public static of(props: VisionEncoderProps, outputSize: number, where = 'VisionEncoder'): VisionEncoder {
    return new VisionEncoder(props, outputSize, where);
  }

  /** ViT layers. */
  public readonly numLayers: number;
  /** ViT hidden size. */
  public readonly hiddenSize: number;
  /** ViT MLP intermediate size. */
  public readonly intermediateSize: number;
  /** ViT attention heads. */
  public readonly numAttentionHeads: number;
  /** Patch side in pixels. */
  public readonly patchSize: number;
  /** True for a gated (SwiGLU) MLP. */
  public readonly gatedMlp: boolean;
  /** Frames per patch. */
  public readonly temporalPatchSize: number;
  /** Patches merged per side into one language-model token. */
  public readonly spatialMergeSize: number;
  /** Projector hidden size. */
  public readonly projectorHiddenSize: number;
  /** Projectors per image. */
  public readonly numProjectors: number;
  /** Hidden size of the language model the projector feeds. */
  public readonly outputSize: number;
  /** Tile side in pixels; undefined for dynamic resolution. */
  public readonly tileSize?: number;
  /** Most tiles per image. */
  public readonly maxTiles: number;
  /** True when multi-tile images get a thumbnail tile too. */
  public readonly thumbnailTile: boolean;
  /** Most patches per image with dynamic resolution; undefined for no limit. */
  public readonly maxPatchesPerImage?: number;
  /** Patches per attention window (0: full attention in every layer). */
  public readonly windowPatches: number;
  /** Layers with full attention when windows are used. */
  public readonly fullAttentionLayers: number;

  private constructor(p: VisionEncoderProps, outputSize: number, where: string) {
    const counts: Array<[string, number | undefined, number]> = [
      ['numLayers', p.numLayers, 1], ['hiddenSize', p.hiddenSize, 1], ['intermediateSize', p.intermediateSize, 1],
      ['numAttentionHeads', p.numAttentionHeads, 1], ['patchSize', p.patchSize, 1], ['temporalPatchSize', p.temporalPatchSize, 1],
      ['spatialMergeSize', p.spatialMergeSize, 1], ['projectorHiddenSize', p.projectorHiddenSize, 1], ['numProjectors', p.numProjectors, 1],
      ['tileSize', p.tileSize, 1], ['maxTiles', p.maxTiles, 1], ['maxPatchesPerImage', p.maxPatchesPerImage, 1],
      ['windowPatches', p.windowPatches, 1], ['fullAttentionLayers', p.fullAttentionLayers, 0],
    ];
    for (const [prop, value, min] of counts) PropError.integer(where, `visionEncoder.${prop}`, value, min);
    PropError.check(p.hiddenSize % p.numAttentionHeads === 0, where, 'visionEncoder.numAttentionHeads', p.numAttentionHeads,
      `a divisor of visionEncoder.hiddenSize (${p.hiddenSize})`);
    PropError.check(p.fullAttentionLayers === undefined || (p.windowPatches !== undefined && p.fullAttentionLayers <= p.numLayers),
      where, 'visionEncoder.fullAttentionLayers', p.fullAttentionLayers, `at most numLayers (${p.numLayers}), with windowPatches`);
    PropError.check(p.tileSize === undefined || p.tileSize % p.patchSize === 0, where, 'visionEncoder.tileSize', p.tileSize,
      `a multiple of patchSize (${p.patchSize})`);
    PropError.check(p.tileSize !== undefined || (p.maxTiles === undefined && p.thumbnailTile === undefined), where, 'visionEncoder.maxTiles',
      p.maxTiles, 'only together with tileSize');
    PropError.check(p.tileSize === undefined || (p.maxPatchesPerImage === undefined && p.windowPatches === undefined), where,
      'visionEncoder.maxPatchesPerImage', p.maxPatchesPerImage ?? p.windowPatches, 'unset on a tiled encoder (dynamic resolution only)');
    this.numLayers = p.numLayers;
    this.hiddenSize = p.hiddenSize;
    this.intermediateSize = p.intermediateSize;
    this.numAttentionHeads = p.numAttentionHeads;
    this.patchSize = p.patchSize;
    this.gatedMlp = p.gatedMlp ?? false;
    this.temporalPatchSize = p.temporalPatchSize ?? 1;
    this.spatialMergeSize = p.spatialMergeSize ?? 1;
    this.projectorHiddenSize = p.projectorHiddenSize ?? p.hiddenSize * this.spatialMergeSize ** 2;
    this.numProjectors = p.numProjectors ?? 1;
    this.outputSize = outputSize;
    this.tileSize = p.tileSize;
    this.maxTiles = p.maxTiles ?? 1;
    this.thumbnailTile = p.thumbnailTile ?? false;
    this.maxPatchesPerImage = p.maxPatchesPerImage;
    this.windowPatches = p.windowPatches ?? 0;
    this.fullAttentionLayers = p.windowPatches ? p.fullAttentionLayers ?? 0 : p.numLayers;
  }

  /** Dimension of one ViT attention head. */
  public get headDim(): number {
    return this.hiddenSize / this.numAttentionHeads;
  }

  /** Parameters: patch embedding, ViT layers (norms included) and projectors. */
  public parameterCount(): number {
    const d = this.hiddenSize;
    const patchEmbed = 3 * this.patchSize ** 2 * this.temporalPatchSize * d;
    const perLayer = 4 * d * d + (this.gatedMlp ? 3 : 2) * d * this.intermediateSize + 4 * d;
    return patchEmbed + this.numLayers * perLayer + this.numProjectors * this.projectorParameters();
  }

  /** Bytes of the encoder's weights (BF16). */
  public weightBytes(): number {
    return 2 * this.parameterCount();
  }

  /**
   * Tiles the encoder runs an image of this size as (1 for dynamic resolution): about one per tile side, at most
   * `maxTiles`, plus the thumbnail tile when there are several.
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public tilesPerImage(width: number, height: number): number {
    this.checkImage(width, height);
    if (this.tileSize === undefined) return 1;
    const grid = Math.min(this.maxTiles, this.sides(width, this.tileSize) * this.sides(height, this.tileSize));
    return grid + (grid > 1 && this.thumbnailTile ? 1 : 0);
  }

  /**
   * Patches the ViT sees in one tile (dynamic resolution: the whole image, rounded to whole merged patches and capped
   * at `maxPatchesPerImage`, as the processor's resize does).
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public patchesPerTile(width: number, height: number): number {
    this.checkImage(width, height);
    if (this.tileSize !== undefined) return (this.tileSize / this.patchSize) ** 2;
    const unit = this.patchSize * this.spatialMergeSize;
    const patches = this.sides(width, unit) * this.sides(height, unit) * this.spatialMergeSize ** 2;
    return Math.min(patches, this.maxPatchesPerImage ?? patches);
  }

  /**
   * Language-model tokens one image becomes (its patches after merging), which the prefill processes besides the text.
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public tokensPerImage(width: number, height: number): number {
    return this.tilesPerImage(width, height) * Math.ceil(this.patchesPerTile(width, height) / this.spatialMergeSize ** 2);
  }

  /**
   * Floating-point operations to encode one image: patch embedding, attention and MLP of every layer, projectors.
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public flopsPerImage(width: number, height: number): number {
    const n = this.patchesPerTile(width, height);
    const d = this.hiddenSize;
    const linear = 2 * n * (3 * this.patchSize ** 2 * this.temporalPatchSize * d
      + this.numLayers * (4 * d * d + (this.gatedMlp ? 3 : 2) * d * this.intermediateSize))
      + 2 * (n / this.spatialMergeSize ** 2) * this.numProjectors * this.projectorParameters();
    // QK^T and PV over every key each query sees: the whole tile, or its window.
    const attention = 4 * n * d * (this.fullAttentionLayers * n + (this.numLayers - this.fullAttentionLayers) * Math.min(n, this.windowPatches));
    return this.tilesPerImage(width, height) * (linear + attention);
  }

  private projectorParameters(): number {
    return this.hiddenSize * this.spatialMergeSize ** 2 * this.projectorHiddenSize + this.projectorHiddenSize * this.outputSize;
  }

  /** Units of `unit` pixels along one side: rounded, at least one (the processors resize to whole units). */
  private sides(pixels: number, unit: number): number {
    return Math.max(1, Math.round(pixels / unit));
  }

  private checkImage(width: number, height: number): void {
    PropError.integer('VisionEncoder', 'width', width, 1, 65536);
    PropError.integer('VisionEncoder', 'height', height, 1, 65536);
  }
}
