import type { DynamoGraph } from './dynamo-graph';
import type { KvTransferFacts, WorkerPool } from './worker-pool';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';
import { EngineArgs, EngineSetting } from '../engines/engine-args';

/** vLLM picks FlashInfer by default on Blackwell and FlashAttention before it: the NIXL handshake compares the backend. */
const VLLM_DEFAULT_ATTENTION_DIFFERS_FROM = 'Blackwell';

/**
 * Checks that a prefill pool can hand its KV cache to a decode pool, above all when they run on different GPU types:
 * the engines' own rules for the hand-off (vLLM's NIXL connector compatibility hash, TRT-LLM's cache transceiver,
 * Dynamo's disaggregation guide). Each incompatible pair is one error that says why.
 * @internal
 */
export class KvTransferCheck {
  public static errors(graph: DynamoGraph, pools: WorkerPool[]): string[] {
    const prefill = pools.filter(p => p._role === 'prefill').map(p => p._kvTransferFacts());
    const decode = pools.filter(p => p._role === 'decode').map(p => p._kvTransferFacts());
    const errors: string[] = [];
    for (const p of prefill) {
      for (const d of decode) errors.push(...KvTransferCheck.pair(graph.backend, p, d));
    }
    return errors;
  }

  private static pair(backend: Backend, p: KvTransferFacts, d: KvTransferFacts): string[] {
    const errors: string[] = [];
    const fail = (prop: string, value: unknown, allowed: string, why: string) =>
      errors.push(PropError.invalid(d.pool, prop, value, allowed, `${why} (prefill pool '${p.pool.node.path}')`).message);
    const gpus = p.gpuArchitecture && d.gpuArchitecture && p.gpuArchitecture !== d.gpuArchitecture
      ? ` across GPU types (${p.pool.gpuRequest} prefill, ${d.pool.gpuRequest} decode)` : '';

    if (p.model !== d.model) {
      fail('model', d.model, `'${p.model}', the prefill pool's model`, 'prefill and decode must load the same model for the KV cache to mean the same');
      return errors;
    }
    if (p.kvCacheDtype !== d.kvCacheDtype) {
      fail('kvCacheDtype', d.kvCacheDtype, `'${p.kvCacheDtype}', the prefill pool's KV-cache dtype`,
        `the decode engine reads the KV blocks prefill writes${gpus}, so both need one KV-cache dtype`);
    }
    // What shapes the KV blocks besides the model, as extraArgs may set it (SGLang's page size is the library's).
    const shaping: Array<[EngineSetting, string]> = [['dtype', '--dtype'], ['blockSize', '--block-size']];
    const [pArgs, dArgs] = [EngineArgs.parse(backend, p.extraArgs), EngineArgs.parse(backend, d.extraArgs)];
    for (const [setting, flag] of shaping) {
      const [pv, dv] = [pArgs.value(setting), dArgs.value(setting)];
      if (pv === dv) continue;
      // vLLM's connector copes with smaller prefill blocks than decode blocks, never the reverse.
      if (setting === 'blockSize' && pv !== undefined && dv !== undefined && Number(pv) < Number(dv)) continue;
      fail('extraArgs', `${flag} ${dv ?? '(engine default)'}`, `${flag} ${pv ?? '(engine default)'}, as on the prefill pool`,
        `${flag} shapes the KV blocks that cross from prefill to decode${gpus}`);
    }
    if (backend === Backend.VLLM) errors.push(...KvTransferCheck.vllm(p, d, gpus));
    return errors;
  }

  /** vLLM NixlConnector: same attention backend and KV layout; heterogeneous TP except where the layout forbids it. */
  private static vllm(p: KvTransferFacts, d: KvTransferFacts, gpus: string): string[] {
    const errors: string[] = [];
    const fail = (prop: string, value: unknown, allowed: string, why: string) =>
      errors.push(PropError.invalid(d.pool, prop, value, allowed, `${why} (prefill pool '${p.pool.node.path}')`).message);
    const backendOf = (f: KvTransferFacts) => f.env.VLLM_ATTENTION_BACKEND;
    const [pb, db] = [backendOf(p), backendOf(d)];
    if (pb !== db) {
      fail('env.VLLM_ATTENTION_BACKEND', db ?? '(unset)', `${pb ?? '(unset)'}, as on the prefill pool`,
        'the NIXL handshake refuses peers whose attention backends differ');
    } else if (pb === undefined && p.gpuArchitecture && d.gpuArchitecture
      && (p.gpuArchitecture === VLLM_DEFAULT_ATTENTION_DIFFERS_FROM) !== (d.gpuArchitecture === VLLM_DEFAULT_ATTENTION_DIFFERS_FROM)) {
      fail('env.VLLM_ATTENTION_BACKEND', '(unset)', 'one backend pinned on both pools (e.g. FLASHINFER)',
        `vLLM picks different default attention backends on ${p.gpuArchitecture} and ${d.gpuArchitecture} GPUs${gpus}, and the NIXL handshake refuses peers whose backends differ`);
    }
    const layoutOf = (f: KvTransferFacts) => f.env.VLLM_KV_CACHE_LAYOUT ?? 'HND';
    const [pl, dl] = [layoutOf(p), layoutOf(d)];
    if (pl !== dl) {
      fail('env.VLLM_KV_CACHE_LAYOUT', dl, `${pl}, as on the prefill pool`, 'prefill and decode must lay out KV blocks alike (permuting between layouts is experimental)');
    } else if (p.tensorParallel !== d.tensorParallel) {
      if (pl === 'NHD') {
        fail('tensorParallel', d.tensorParallel, `${p.tensorParallel}, or the default HND layout`, 'the NHD layout cannot split KV heads between different tensor-parallel sizes');
      } else if (d.architecture?.isMla) {
        fail('tensorParallel', d.tensorParallel, `${p.tensorParallel}, the prefill pool's`, `vLLM supports different tensor-parallel sizes for MLA models (${d.model}) only in part`);
      }
    }
    return errors;
  }
}
