import { Backend } from './backend';
import { EngineTuning } from './engine-tuning';
import { MultimodalEngineSettings } from './multimodal';

/**
 * What a worker does in the graph: serve whole requests, one half of a disaggregated pair, or encode the images of
 * multimodal requests for the language-model workers.
 * @internal
 */
export type WorkerRole = 'aggregated' | 'prefill' | 'decode' | 'encode';

/**
 * Typed engine settings of one worker pool: the pool's `EngineTuning` with parallelism and extra flags resolved, plus
 * what the pool and graph decide; `EngineCommands.render` turns them into the container's command line.
 * Field names double as prop names in validation errors, so they match the pool props.
 * @internal
 */
export interface EngineSettings extends EngineTuning {
  readonly backend: Backend;
  readonly role: WorkerRole;
  /** True for the prefill and decode workers of a graph with separate prefill and decode pools. */
  readonly disaggregated: boolean;
  /** Present on the workers of a multimodal graph (always on encode workers). */
  readonly multimodal?: MultimodalEngineSettings;
  /** Hugging Face id; always the name clients use (served model name). */
  readonly model: string;
  /** Local path of the weights when they come from a model-cache mount. */
  readonly modelPath?: string;
  readonly tensorParallel: number;
  readonly pipelineParallel: number;
  readonly dataParallel: number;
  readonly expertParallel: number;
  /**
   * Whether the model is a mixture of experts; expert parallelism is refused for dense models.
   * Unknown (undefined) skips that check.
   */
  readonly isMoe?: boolean;
  /** True when the frontend routes by KV overlap (DYN_ROUTER_MODE=kv): workers publish KV events. */
  readonly kvEvents: boolean;
  /** Nodes one engine spans; 1 unless multinode. The operator injects the multinode flags itself. */
  readonly nodeCount: number;
  /** Present when LoRA adapters are attached. */
  readonly lora?: { readonly maxRank: number };
  /** Escape hatch, appended after the typed flags; it may set none of the flags the typed settings own or render. */
  readonly extraArgs: string[];
}

/**
 * A file the engine reads at start-up. The graph renders it as a ConfigMap key `fileName`
 * mounted (read-only) at the directory `mountPath`; the command line already points at `mountPath/fileName`.
 * @internal
 */
export interface EngineConfigFile {
  readonly fileName: string;
  readonly mountPath: string;
  readonly content: string;
}

/**
 * The rendered main container command. `args` is an exec-form array: JSON values are single elements, never shell-quoted.
 * @internal
 */
export interface EngineCommand {
  readonly command: string[];
  readonly args: string[];
  readonly env: Array<{ readonly name: string; readonly value: string }>;
  readonly workingDir?: string;
  /** Files to mount (TRT-LLM engine YAML); empty for vLLM and SGLang. */
  readonly configFiles: EngineConfigFile[];
}
