import { IConstruct } from 'constructs';
import { Backend } from './backend';
import { EngineCommand, EngineSettings } from './engine-settings';
import { SglangCommand } from './sglang';
import { TrtllmCommand } from './trtllm';
import { VLLM_LORA_RANKS, VllmCommand } from './vllm';
import { PropError } from '../common/errors';

/** What the library derives itself (identity, role, GPU count), per flag: the prop to use instead. */
const IDENTITY = { '--served-model-name': 'model', '--disaggregation-mode': 'the pool class (PrefillPool, DecodePool)' };
const OWNED_FLAGS: Record<Backend, { readonly [flag: string]: string }> = {
  [Backend.VLLM]: {
    ...IDENTITY,
    '--model': 'model or modelCache',
    '--tensor-parallel-size': 'tensorParallel',
    '-tp': 'tensorParallel',
    '--pipeline-parallel-size': 'pipelineParallel',
    '-pp': 'pipelineParallel',
    '--data-parallel-size': 'dataParallel',
    '-dp': 'dataParallel',
  },
  [Backend.SGLANG]: {
    ...IDENTITY,
    '--model-path': 'model or modelCache',
    '--tp-size': 'tensorParallel',
    '--tp': 'tensorParallel',
    '--pp-size': 'pipelineParallel',
    '--dp-size': 'dataParallel',
    '--dp': 'dataParallel',
  },
  [Backend.TRTLLM]: {
    ...IDENTITY,
    '--model-path': 'model or modelCache',
    '--extra-engine-args': 'the pool\'s engine settings (rendered into the engine YAML)',
    '--tensor-parallel-size': 'tensorParallel',
    '--pipeline-parallel-size': 'pipelineParallel',
    '--expert-parallel-size': 'expertParallel',
  },
};
/** Multinode flags the operator appends per pod (operator-facts §3, multinode flag injection). */
const OPERATOR_FLAGS: Record<Backend, readonly string[]> = {
  [Backend.VLLM]: ['--distributed-executor-backend', '--nnodes', '--master-addr', '--master-port', '--node-rank', '--headless'],
  [Backend.SGLANG]: ['--dist-init-addr', '--nnodes', '--node-rank'],
  [Backend.TRTLLM]: [],
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
    EngineCommands.validate(s, scope);
    const rendered = EngineCommands.renderer(s.backend)(s);
    // Dynamo's worker reads these to download adapters and register them with the frontend, whatever the engine.
    const lora = [{ name: 'DYN_LORA_ENABLED', value: 'true' }, { name: 'DYN_LORA_PATH', value: EngineCommands.LORA_PATH }];
    const env = s.lora ? [...rendered.env, ...lora] : rendered.env;
    return { ...rendered, env };
  }

  /**
   * GPUs one engine instance occupies (across all its nodes). vLLM data parallelism multiplies GPUs;
   * SGLang and TRT-LLM run attention DP on the TP ranks, so it adds none.
   */
  public static gpusPerEngine(s: Pick<EngineSettings, 'backend' | 'tensorParallel' | 'pipelineParallel' | 'dataParallel'>): number {
    const dp = s.backend === Backend.VLLM ? s.dataParallel : 1;
    return s.tensorParallel * s.pipelineParallel * dp;
  }

  /** Throws on the first setting the backend cannot run. */
  public static validate(s: EngineSettings, scope: IConstruct | string): void {
    PropError.check(Object.values(Backend).includes(s.backend), scope, 'backend', s.backend, Object.values(Backend).join(', '));
    PropError.check(['aggregated', 'prefill', 'decode'].includes(s.role), scope, 'role', s.role, 'aggregated, prefill, decode');
    PropError.check(s.disaggregated === (s.role !== 'aggregated'), scope, 'role', s.role,
      s.disaggregated ? 'prefill or decode in a disaggregated graph' : 'aggregated in a graph without prefill/decode pools');
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
    if (s.lora) {
      PropError.check(s.backend !== Backend.TRTLLM, scope, 'lora', s.lora, 'LoRA adapters on the vLLM or SGLang backend', `backend is ${s.backend}`);
      if (s.backend === Backend.VLLM) {
        PropError.check(VLLM_LORA_RANKS.includes(s.lora.maxRank), scope, 'lora.maxRank', s.lora.maxRank, `one of ${VLLM_LORA_RANKS.join(', ')} (vLLM)`);
      } else {
        PropError.integer(scope, 'lora.maxRank', s.lora.maxRank, 1, 1024);
      }
    }
    for (const arg of s.extraArgs) {
      PropError.check(typeof arg === 'string' && arg.length > 0, scope, 'extraArgs', s.extraArgs, 'non-empty strings');
      EngineCommands.checkExtraArg(s.backend, arg, scope);
    }
  }

  /**
   * Refuses flags whose value the rest of the output depends on: overriding them in `extraArgs` would leave the GPU
   * request, the served model name (LoRA `modelRef`, the model cache) or the role out of step with the engine, and
   * the operator's multinode flags would appear twice.
   */
  private static checkExtraArg(backend: Backend, arg: string, scope: IConstruct | string): void {
    const flag = arg.split('=')[0];
    const prop = Object.prototype.hasOwnProperty.call(OWNED_FLAGS[backend], flag) ? OWNED_FLAGS[backend][flag] : undefined;
    PropError.check(prop === undefined, scope, 'extraArgs', arg, `engine flags other than ${flag}; set ${prop} instead`,
      'the library renders this flag and sizes the pod, the served model and the role from the same prop');
    PropError.check(!OPERATOR_FLAGS[backend].includes(flag), scope, 'extraArgs', arg, `engine flags other than ${flag}; set nodeCount instead`,
      'the operator adds the multinode launch flags to each pod itself');
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
