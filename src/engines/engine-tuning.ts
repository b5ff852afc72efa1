import { TrtllmEngineOptions } from './trtllm-engine-options';
import { KvCacheDtype, Quantization } from '../model/precision';

/**
 * How a worker pool's engine runs: parallelism, batch and length limits, precision, memory share and extra flags.
 * Every worker pool takes these (`WorkerPoolProps` extends it); they become the engine's command line, or TRT-LLM's
 * engine YAML. One value can tune several pools: `{ ...tuning, model, gpu }`.
 */
export interface EngineTuning {
  /**
   * Tensor-parallel size.
   * @default 1
   */
  readonly tensorParallel?: number;
  /**
   * Pipeline-parallel size.
   * @default 1
   */
  readonly pipelineParallel?: number;
  /**
   * Data-parallel ranks inside one engine (vLLM: extra GPUs; SGLang and TRT-LLM: attention DP over the TP ranks).
   * @default 1
   */
  readonly dataParallel?: number;
  /**
   * Expert-parallel size (mixture-of-experts models).
   * @default 1
   */
  readonly expertParallel?: number;
  /**
   * Maximum concurrent sequences per engine.
   * @default - the engine's default
   */
  readonly maxBatchSize?: number;
  /**
   * Maximum tokens per engine step.
   * @default - the engine's default
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Maximum context length (prompt + output).
   * @default - the model's
   */
  readonly maxModelLen?: number;
  /**
   * KV-cache data type.
   * @default - the engine's default for the checkpoint
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * Weight quantization to run with (vLLM and SGLang quantize at load time; TRT-LLM only runs its checkpoint's own
   * precision, so on TRT-LLM it must be unset or the checkpoint's).
   * @default - the checkpoint's
   */
  readonly quantization?: Quantization;
  /**
   * Share of GPU memory the engine may use, in the engine's own meaning.
   * @default - the engine's default
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * SGLang only, disaggregated pools: port of the prefill engine's bootstrap server, which decode engines connect to
   * to set up each KV transfer (`--disaggregation-bootstrap-port`).
   * @default 12345
   */
  readonly bootstrapPort?: number;
  /**
   * TensorRT-LLM only: engine settings beyond the typed ones, merged into the engine YAML the pool renders, or an
   * engine YAML inside the image (`configFileInImage`).
   * @default - the engine YAML the typed settings give
   */
  readonly trtllm?: TrtllmEngineOptions;
  /**
   * Extra engine arguments, appended after the flags the pool renders (escape hatch for engine flags without a
   * prop). A flag a prop owns (model and served name, role, parallelism, batch and length limits, KV-cache dtype,
   * quantization, memory share, the TRT-LLM engine YAML, the SGLang bootstrap port), a flag the pool already renders
   * and the operator's multinode launch flags are refused in every spelling the engine reads (`--a=b`, `_` for `-`,
   * aliases, abbreviations), with the prop to set instead: a second flag would leave the GPU request, the served
   * model or the role out of step with the engine. Give a flag and its value as two elements or as `--flag=value`.
   * @default - none
   */
  readonly extraArgs?: string[];
}
