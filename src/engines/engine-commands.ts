import { IConstruct } from 'constructs';
import { Backend } from './backend';
import { EngineArgs, EngineSetting } from './engine-args';
import { EngineCommand, EngineSettings } from './engine-settings';
import { SglangCommand } from './sglang';
import { TrtllmCommand } from './trtllm';
import { VLLM_LORA_RANKS, VllmCommand } from './vllm';
import { PropError } from '../common/errors';

/**
 * Settings a typed prop (or the operator) owns, and the prop to use: `extraArgs` may never set them, whatever the
 * spelling, because the GPU request, the served model, the role or the multinode launch follow the prop.
 */
const OWNED_BY: Partial<Record<EngineSetting, string>> = {
  model: 'model or modelCache',
  servedModelName: 'model',
  role: 'the pool class (PrefillPool, DecodePool, EncodePool)',
  prefillWorker: 'the pool class (PrefillPool, DecodePool)',
  decodeWorker: 'the pool class (PrefillPool, DecodePool)',
  multimodal: 'multimodal on the pool (or an EncodePool)',
  multimodalRole: 'the graph\'s multimodal pattern (its EncodePool, PrefillPool and DecodePool)',
  tensorParallel: 'tensorParallel',
  pipelineParallel: 'pipelineParallel',
  dataParallel: 'dataParallel',
  dpAttention: 'dataParallel',
  expertParallel: 'expertParallel',
  maxBatchSize: 'maxBatchSize',
  maxNumBatchedTokens: 'maxNumBatchedTokens',
  maxModelLen: 'maxModelLen',
  kvCacheDtype: 'kvCacheDtype',
  quantization: 'quantization',
  gpuMemoryUtilization: 'gpuMemoryUtilization',
  engineConfig: 'the pool\'s engine settings (rendered into the engine YAML)',
  bootstrapPort: 'bootstrapPort',
  multinode: 'nodeCount',
};

/**
 * Renders a worker's engine command line from typed settings, per backend and role.
 * @internal
 */
export class EngineCommands {
  /**
   * Where Dynamo's worker keeps the LoRA adapters it downloads (`DYN_LORA_PATH`). The pool mounts a writable
   * emptyDir here, so adapters load even with a read-only root filesystem and never outlive the pod.
   */
  public static readonly LORA_PATH = '/tmp/dynamo-loras';

  /**
   * Validates `s` (errors name `scope`, the setting, its value and what is allowed) and renders the command.
   * @param scope the pool construct (or its path) that errors should point at
   */
  public static render(s: EngineSettings, scope: IConstruct | string = 'engine'): EngineCommand {
    const rendered = EngineCommands.validate(s, scope);
    // Dynamo's worker reads these to download adapters and register them with the frontend, whatever the engine.
    const lora = [{ name: 'DYN_LORA_ENABLED', value: 'true' }, { name: 'DYN_LORA_PATH', value: EngineCommands.LORA_PATH }];
    const env = s.lora ? [...rendered.env, ...lora] : rendered.env;
    return { ...rendered, args: [...rendered.args, ...s.extraArgs], env };
  }

  /**
   * GPUs one engine instance occupies (across all its nodes). vLLM data parallelism multiplies GPUs;
   * SGLang and TRT-LLM run attention DP on the TP ranks, so it adds none.
   */
  public static gpusPerEngine(s: Pick<EngineSettings, 'backend' | 'tensorParallel' | 'pipelineParallel' | 'dataParallel'>): number {
    const dp = s.backend === Backend.VLLM ? s.dataParallel : 1;
    return s.tensorParallel * s.pipelineParallel * dp;
  }

  /** Throws on the first setting the backend cannot run; returns the command the typed settings render (without `extraArgs`). */
  public static validate(s: EngineSettings, scope: IConstruct | string): EngineCommand {
    PropError.check(Object.values(Backend).includes(s.backend), scope, 'backend', s.backend, Object.values(Backend).join(', '));
    PropError.check(['aggregated', 'prefill', 'decode', 'encode'].includes(s.role), scope, 'role', s.role, 'aggregated, prefill, decode, encode');
    PropError.check(s.disaggregated === (s.role === 'prefill' || s.role === 'decode'), scope, 'role', s.role,
      s.disaggregated ? 'prefill or decode in a disaggregated graph' : 'aggregated or encode in a graph without prefill/decode pools');
    EngineCommands.validateMultimodal(s, scope);
    PropError.check(typeof s.model === 'string' && /^\S+$/.test(s.model), scope, 'model', s.model, 'a non-empty model id without whitespace');
    if (s.modelPath !== undefined) {
      PropError.check(/^\/\S*$/.test(s.modelPath), scope, 'modelPath', s.modelPath, 'an absolute path without whitespace');
    }
    for (const prop of ['tensorParallel', 'pipelineParallel', 'dataParallel', 'expertParallel', 'nodeCount'] as const) {
      PropError.integer(scope, prop, s[prop], 1, 1024);
    }
    for (const prop of ['maxBatchSize', 'maxNumBatchedTokens', 'maxModelLen'] as const) {
      PropError.integer(scope, prop, s[prop], 1);
    }
    if (s.gpuMemoryUtilization !== undefined) {
      const u = s.gpuMemoryUtilization;
      PropError.check(Number.isFinite(u) && u > 0 && u <= 1, scope, 'gpuMemoryUtilization', u, 'a fraction in (0, 1]');
    }
    EngineCommands.validateParallelism(s, scope);
    SglangCommand.checkBootstrapPort(s, scope);
    TrtllmCommand.check(s, scope);
    if (s.lora) {
      PropError.check(s.backend !== Backend.TRTLLM, scope, 'lora', s.lora, 'LoRA adapters on the vLLM or SGLang backend', `backend is ${s.backend}`);
      if (s.backend === Backend.VLLM) {
        PropError.check(VLLM_LORA_RANKS.includes(s.lora.maxRank), scope, 'lora.maxRank', s.lora.maxRank, `one of ${VLLM_LORA_RANKS.join(', ')} (vLLM)`);
      } else {
        PropError.integer(scope, 'lora.maxRank', s.lora.maxRank, 1, 1024);
      }
    }
    PropError.check(Array.isArray(s.extraArgs), scope, 'extraArgs', s.extraArgs, 'a list of strings');
    for (const arg of s.extraArgs) {
      PropError.check(typeof arg === 'string' && arg.length > 0, scope, 'extraArgs', s.extraArgs, 'non-empty strings');
    }
    const typed = EngineCommands.renderer(s.backend)(s);
    EngineCommands.checkExtraArgs(s.backend, typed.args, s.extraArgs, scope);
    return typed;
  }

  private static validateMultimodal(s: EngineSettings, scope: IConstruct | string): void {
    const mm = s.multimodal;
    PropError.check(s.role !== 'encode' || mm !== undefined, scope, 'multimodal', mm, 'multimodal settings on an encode worker');
    if (!mm) return;
    PropError.check(s.lora === undefined || s.role !== 'encode', scope, 'lora', s.lora, 'no LoRA adapters on an encode pool',
      'adapters apply to the language model, which the encoder does not run');
    PropError.integer(scope, 'multimodal.maxImagesPerPrompt', mm.maxImagesPerPrompt, 1, 1024);
    if (mm.maxImagesPerPrompt !== undefined) {
      PropError.check(s.backend === Backend.VLLM, scope, 'multimodal.maxImagesPerPrompt', mm.maxImagesPerPrompt, 'unset on SGLang and TRT-LLM',
        'only vLLM takes a per-prompt image limit (--limit-mm-per-prompt)');
    }
    const cache = mm.embeddingCacheGiB;
    if (cache !== undefined) {
      PropError.check(Number.isFinite(cache) && cache > 0 && cache <= 4096, scope, 'multimodal.embeddingCacheGiB', cache, 'a size in GiB above 0, at most 4096');
      PropError.check(s.role === 'aggregated' || s.role === 'prefill', scope, 'multimodal.embeddingCacheGiB', cache,
        'unset on encode and decode pools', 'the embedding cache sits in the worker that receives or computes the embeddings (aggregated or prefill)');
    }
    if (mm.chatTemplate !== undefined) {
      PropError.check(typeof mm.chatTemplate === 'string' && /^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(mm.chatTemplate), scope, 'multimodal.chatTemplate',
        mm.chatTemplate, 'an SGLang chat template name such as \'qwen2-vl\'');
      PropError.check(s.backend === Backend.SGLANG && (s.role === 'encode' || s.role === 'aggregated'), scope, 'multimodal.chatTemplate', mm.chatTemplate,
        'unset except on SGLang encode and aggregated pools', 'only SGLang\'s encode (or single EPD) worker applies a chat template of its own; the others get the frontend\'s');
    }
  }

  /**
   * Refuses `extraArgs` that set what the typed props or the operator own (in any spelling the engine reads), that
   * would set a flag the library already renders a second time, or that hide a flag and its value in one element
   * (exec form passes it to the engine as one unknown argument).
   */
  private static checkExtraArgs(backend: Backend, typedArgs: readonly string[], extraArgs: readonly string[], scope: IConstruct | string): void {
    const typed = EngineArgs.parse(backend, typedArgs);
    for (const a of EngineArgs.parse(backend, extraArgs).all) {
      const element = extraArgs[a.index];
      PropError.check(a.ambiguous === undefined, scope, 'extraArgs', element, 'flags written in full',
        `${a.written} abbreviates flags of several settings (${(a.ambiguous ?? []).join(', ')}), which the engine refuses`);
      const owner = a.setting === undefined ? undefined : OWNED_BY[a.setting];
      const spelled = a.flag === a.written ? '' : ` (the engine reads ${a.written} as ${a.flag})`;
      PropError.check(owner === undefined, scope, 'extraArgs', element, `engine flags other than ${a.flag}; set ${owner} instead`,
        a.setting === 'multinode' ? `the operator adds the multinode launch flags to each pod itself${spelled}`
          : `the library renders this flag and sizes the pod, the served model and the role from the same prop${spelled}`);
      const rendered = a.setting === undefined ? undefined : typed.all.find(t => t.setting === a.setting);
      PropError.check(rendered === undefined, scope, 'extraArgs', element, 'engine flags the library does not render',
        `the library renders ${rendered?.flag}${rendered?.value !== undefined && rendered.value !== 'true' ? ` ${rendered.value}` : ''} already${spelled}, and a second one would override it`);
      PropError.check(!a.joined, scope, 'extraArgs', element, `the flag and its value as separate elements ('${a.written}', '...') or as ${a.written}=VALUE`,
        'one element holds a flag and its value: exec form passes it to the engine as a single unknown argument');
    }
  }

  private static validateParallelism(s: EngineSettings, scope: IConstruct | string): void {
    const { tensorParallel: tp, dataParallel: dp, expertParallel: ep } = s;
    if (ep > 1) {
      PropError.check(s.isMoe !== false, scope, 'expertParallel', ep, '1 for a dense model', 'expert parallelism needs a mixture-of-experts model');
    }
    switch (s.backend) {
      case Backend.VLLM:
        // --enable-expert-parallel shards experts over every TP x DP rank; there is no separate size.
        PropError.check(ep === 1 || ep === tp * dp, scope, 'expertParallel', ep,
          `1 or tensorParallel x dataParallel (${tp * dp})`, 'vLLM expert parallelism spans all TP x DP ranks');
        break;
      case Backend.SGLANG:
        PropError.check(tp % dp === 0, scope, 'dataParallel', dp, `a divisor of tensorParallel (${tp})`, 'SGLang DP attention splits the TP ranks');
        PropError.check(tp % ep === 0, scope, 'expertParallel', ep, `a divisor of tensorParallel (${tp})`, 'SGLang experts are sharded over the TP ranks');
        break;
      case Backend.TRTLLM:
        PropError.check(dp === 1 || dp === tp, scope, 'dataParallel', dp, `1 or tensorParallel (${tp})`, 'TRT-LLM attention DP runs one rank per TP rank');
        PropError.check(tp % ep === 0, scope, 'expertParallel', ep, `a divisor of tensorParallel (${tp})`, 'TRT-LLM MoE TP x EP must equal tensorParallel');
        break;
    }
  }

  private static renderer(backend: Backend): (s: EngineSettings) => EngineCommand {
    switch (backend) {
      case Backend.VLLM: return VllmCommand.render;
      case Backend.SGLANG: return SglangCommand.render;
      case Backend.TRTLLM: return TrtllmCommand.render;
    }
  }
}
