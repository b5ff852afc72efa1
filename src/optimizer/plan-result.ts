import { ServingMode } from './sla';
import { Backend } from '../engines/backend';

/**
 * The settings of one worker pool.
 */
export interface PoolPlan {
  /** Workers (engines) in the pool. */
  readonly workers: number;
  /** Tensor-parallel GPUs per worker. */
  readonly tensorParallel: number;
  /** Pipeline stages per worker. */
  readonly pipelineParallel: number;
  /** Expert-parallel ranks per worker (1 for dense models). */
  readonly expertParallel: number;
  /** GPUs per worker (tensorParallel x pipelineParallel). */
  readonly gpusPerWorker: number;
  /** Concurrent sequences per worker (engine max batch size / max running requests). */
  readonly batchSize: number;
  /** Engine token budget per iteration (max batched tokens / chunk size). */
  readonly maxNumBatchedTokens: number;
  /** Engine max model length (ISL + OSL). */
  readonly maxModelLen: number;
  /** Predicted memory use per GPU, GiB (weights + runtime reserve + KV of the batch). */
  readonly memoryGiBPerGpu: number;
  /** KV-cache budget the engine gets per GPU, GiB. */
  readonly kvCacheGiBPerGpu: number;
  /** Sequences of maxModelLen whose KV cache the engine can admit per worker. */
  readonly admissibleSequences: number;
}

/**
 * One evaluated deployment: its pools, predicted latencies and throughput.
 */
export interface PlanCandidate {
  /** Aggregated or disaggregated. */
  readonly mode: ServingMode;
  /** The engine. */
  readonly backend: Backend;
  /** The aggregated pool (aggregated mode). */
  readonly aggregated?: PoolPlan;
  /** The prefill pool (disaggregated mode). */
  readonly prefill?: PoolPlan;
  /** The decode pool (disaggregated mode). */
  readonly decode?: PoolPlan;
  /** GPUs the deployment uses. */
  readonly gpus: number;
  /** Predicted mean time to first token at the planned load, ms (queueing included). */
  readonly ttftMs: number;
  /** Predicted mean inter-token latency, ms (chunked-prefill interference included). */
  readonly itlMs: number;
  /** Output tokens per second per GPU at the planned load. */
  readonly tokensPerSecondPerGpu: number;
  /** Output tokens per second one user sees (1000 / ITL). */
  readonly tokensPerSecondPerUser: number;
  /** Requests per second the deployment sustains at the planned load. */
  readonly requestsPerSecond: number;
  /** True when TTFT and ITL are within the SLA. */
  readonly meetsSla: boolean;
  /** What limits this configuration, in a sentence. */
  readonly rationale: string;
}

/**
 * The prediction for one fixed engine configuration (`SlaOptimizer.estimate`).
 */
export interface Estimate {
  /** Time to first token with an idle engine, ms (prefill of one batch; aggregated: chunked prefill alongside the batch). */
  readonly ttftMs: number;
  /** Inter-token latency at the batch size, ms (0 for a prefill engine). */
  readonly itlMs: number;
  /** Output tokens per second per GPU at full batch (prefill engine: prompts' first tokens). */
  readonly tokensPerSecondPerGpu: number;
  /** Output tokens per second one user sees (0 for a prefill engine). */
  readonly tokensPerSecondPerUser: number;
  /** Requests per second the engine completes at full batch. */
  readonly requestsPerSecond: number;
  /** Predicted memory use per GPU, GiB: weights + runtime reserve + KV cache of the batch. */
  readonly memoryGiBPerGpu: number;
  /** Weights per GPU, GiB. */
  readonly weightGiBPerGpu: number;
  /** KV-cache budget the engine gets per GPU, GiB. */
  readonly kvCacheGiBPerGpu: number;
  /** Sequences of ISL + OSL tokens the engine's KV budget admits. */
  readonly admissibleSequences: number;
  /** True when the weights fit and the engine admits the whole batch. */
  readonly fits: boolean;
}

/**
 * What `SlaOptimizer.plan` chose, with the Pareto front it chose from.
 */
export class PlanResult {
  /** @internal */
  public static _of(best: PlanCandidate, top: PlanCandidate[], pareto: PlanCandidate[], evaluated: number, request: object): PlanResult {
    return new PlanResult(best, top, pareto, evaluated, request);
  }

  /** @internal */
  public static _describe(c: PlanCandidate): string {
    const pool = (p: PoolPlan) => `${p.workers}x TP${p.tensorParallel}${p.pipelineParallel > 1 ? ` PP${p.pipelineParallel}` : ''}`
      + `${p.expertParallel > 1 ? ` EP${p.expertParallel}` : ''} (batch ${p.batchSize})`;
    const pools = c.aggregated ? pool(c.aggregated) : `${pool(c.prefill!)} prefill + ${pool(c.decode!)} decode`;
    return `${c.mode} ${c.backend}: ${pools}, ${c.gpus} GPUs, TTFT ${c.ttftMs} ms, ITL ${c.itlMs} ms, `
      + `${c.tokensPerSecondPerGpu} tok/s/GPU, ${c.tokensPerSecondPerUser} tok/s/user`;
  }

  /** @internal */
  public static _candidateJson(c: PlanCandidate): any {
    const pool = (p: PoolPlan) => ({
      workers: p.workers,
      tp: p.tensorParallel,
      pp: p.pipelineParallel,
      ep: p.expertParallel,
      batch: p.batchSize,
      maxNumBatchedTokens: p.maxNumBatchedTokens,
      maxModelLen: p.maxModelLen,
      gpusPerWorker: p.gpusPerWorker,
      memoryGiBPerGpu: p.memoryGiBPerGpu,
      kvCacheGiBPerGpu: p.kvCacheGiBPerGpu,
      admissibleSequences: p.admissibleSequences,
    });
    return {
      mode: c.mode,
      backend: c.backend,
      ...(c.aggregated ? { agg: pool(c.aggregated) } : { prefill: pool(c.prefill!), decode: pool(c.decode!) }),
      gpus: c.gpus,
      ttftMs: c.ttftMs,
      itlMs: c.itlMs,
      tokensPerSecondPerGpu: c.tokensPerSecondPerGpu,
      tokensPerSecondPerUser: c.tokensPerSecondPerUser,
      requestsPerSecond: c.requestsPerSecond,
      meetsSla: c.meetsSla,
      rationale: c.rationale,
    };
  }

  private constructor(
    /** The chosen configuration: most tokens/s per GPU within the SLA (closest to it with `bestEffort`). */
    public readonly best: PlanCandidate,
    /** The best configuration of each parallel layout that meets the SLA, best first (at most five). */
    public readonly top: PlanCandidate[],
    /** Non-dominated configurations on (tokens/s per user, tokens/s per GPU), fastest per user first. */
    public readonly pareto: PlanCandidate[],
    /** Configurations the search evaluated. */
    public readonly candidatesEvaluated: number,
    private readonly request: object,
  ) {}

  /** True when the chosen configuration meets the SLA. */
  public get meetsSla(): boolean {
    return this.best.meetsSla;
  }

  /** One line, e.g. `disagg vllm: 2x prefill TP2 + 3x decode TP4 (batch 64), 14 GPUs, TTFT 84.2 ms, ITL 12.9 ms, 1234.5 tok/s/GPU`. */
  public summary(): string {
    return PlanResult._describe(this.best);
  }

  /** A stable, plain-JSON view of the plan (request, best, Pareto front) for annotations, ConfigMaps and the CLI. */
  public toJson(): any {
    return {
      request: this.request,
      best: PlanResult._candidateJson(this.best),
      top: this.top.map(PlanResult._candidateJson),
      pareto: this.pareto.map(PlanResult._candidateJson),
      candidatesEvaluated: this.candidatesEvaluated,
    };
  }
}
