/**
 * Annotation keys that carry serving intent the YAML alone does not show (model size, context length, GPU memory).
 *
 * The graph writes them on each worker pool's pod template (never the frontend's, which serves no model); anyone
 * rendering GPU pods by other means can write them too. The policy pack reads them (pod template first, then the DGD's `spec.annotations`, then object metadata)
 * and falls back to the model catalog (`ModelArchitecture.tryOf`) and the GPU catalog (`nvidia.com/gpu.product`
 * node targeting) when they are absent. Values are plain decimal numbers or ids.
 *
 * `SUPPRESSED` is the other way round: the pack writes it, so reviewers see every exception in the output.
 */
export class IntentAnnotations {
  /** Hugging Face id of the served model, e.g. `Qwen/Qwen3-32B`. */
  public static readonly MODEL = 'cdk8s-dynamo.io/model';
  /** Bytes of the whole model's weights at the served precision, in GiB (decimal number). */
  public static readonly WEIGHTS_GIB = 'cdk8s-dynamo.io/weights-gib';
  /**
   * KV-cache bytes of one token across all layers at the served KV dtype (whole model, before sharding). The graph
   * writes the average over a max-length sequence, so sliding-window layers count only the tokens they keep.
   */
  public static readonly KV_BYTES_PER_TOKEN = 'cdk8s-dynamo.io/kv-bytes-per-token';
  /** Longest sequence (prompt + output) the engine accepts, in tokens. */
  public static readonly MAX_MODEL_LEN = 'cdk8s-dynamo.io/max-model-len';
  /** Memory of one GPU (or MIG slice) the pod gets, in GiB. */
  public static readonly GPU_MEMORY_GIB = 'cdk8s-dynamo.io/gpu-memory-gib';
  /** Tensor-parallel size, for engines that read it from a config file. */
  public static readonly TENSOR_PARALLEL = 'cdk8s-dynamo.io/tensor-parallel';
  /** Pipeline-parallel size, for engines that read it from a config file. */
  public static readonly PIPELINE_PARALLEL = 'cdk8s-dynamo.io/pipeline-parallel';
  /**
   * Rules suppressed on the object, written by the policy pack: one `RULE-ID=reason` or `RULE-ID[component]=reason`
   * per line, sorted, where the rule would have fired (`DynamoPolicy.suppress`).
   */
  public static readonly SUPPRESSED = 'policy.cdk8s-dynamo.io/suppressed';

  private constructor() {}
}
