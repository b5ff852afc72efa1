/**
 * The inference engine a worker pool runs.
 */
export enum Backend {
  /** vLLM (`python3 -m dynamo.vllm`). */
  VLLM = 'vllm',
  /** SGLang (`python3 -m dynamo.sglang`). */
  SGLANG = 'sglang',
  /** TensorRT-LLM (`python3 -m dynamo.trtllm`). */
  TRTLLM = 'trtllm',
}
