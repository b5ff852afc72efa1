import { ServingMode } from './sla';
import { Backend } from '../engines/backend';
import { GpuProfile } from '../gpu/gpu-profile';
import { ModelArchitecture } from '../model/model-architecture';
import { KvCacheDtype, Quantization } from '../model/precision';

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
  /** Nodes one worker spans (more than 1 when its pipeline stages do not fit one node). */
  readonly nodesPerWorker: number;
  /** Concurrent sequences per worker (engine max batch size / max running requests). */
  readonly batchSize: number;
  /**
   * Engine token budget per iteration (max batched tokens / chunk size). Prompts longer than this are prefilled in
   * chunks: every engine role that prefills runs with chunked prefill on.
   */
  readonly maxNumBatchedTokens: number;
  /** Engine max model length: the longest request (prompt + output tokens) the engine accepts. */
  readonly maxModelLen: number;
  /** Predicted memory use per GPU, GiB (weights + runtime reserve + KV of the batch at the average request length). */
  readonly memoryGiBPerGpu: number;
  /** KV-cache budget the engine gets per GPU, GiB. */
  readonly kvCacheGiBPerGpu: number;
  /** Sequences of the average request length (ISL + OSL) whose KV cache the engine admits per worker. */
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
  /**
   * The aggregated pool (aggregated mode).
   * @default - none in disaggregated mode
   */
  readonly aggregated?: PoolPlan;
  /**
   * The prefill pool (disaggregated mode).
   * @default - none in aggregated mode
   */
  readonly prefill?: PoolPlan;
  /**
   * The decode pool (disaggregated mode).
   * @default - none in aggregated mode
   */
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
  /** Longest single sequence (tokens) the engine's KV budget holds, at most the model's context length. */
  readonly longestSequence: number;
  /** True when the weights fit, the engine admits the whole batch and one sequence of the maximum length. */
  readonly fits: boolean;
}

/**
 * The queueing assumptions a plan used, every default filled in (see `QueueingAssumptions` for their meaning).
 */
export interface ResolvedQueueingAssumptions {
  /** Squared coefficient of variation of the time between requests (1 = Poisson). */
  readonly arrivalVariability: number;
  /** Squared coefficient of variation of the prefill time per request (0 = equal prompts). */
  readonly serviceVariability: number;
  /** Highest utilisation planned for a disaggregated prefill worker (0-1]. */
  readonly maxPrefillUtilisation: number;
  /** Highest load planned for an aggregated worker, as a share of its capacity (0-1]. */
  readonly maxAggregatedLoad: number;
  /** Share of a decode worker's batch slots busy on average (0-1]. */
  readonly decodeOccupancy: number;
}

/**
 * The request a plan answered, with every default filled in.
 */
export interface ResolvedPlanRequest {
  /** The model. */
  readonly model: ModelArchitecture;
  /** The GPU type. */
  readonly gpu: GpuProfile;
  /** Engines searched. */
  readonly backends: Backend[];
  /** Serving modes searched. */
  readonly modes: ServingMode[];
  /** Weight precision. */
  readonly quantization: Quantization;
  /** KV-cache data type. */
  readonly kvCacheDtype: KvCacheDtype;
  /** Average input (prompt) tokens per request. */
  readonly inputSequenceLength: number;
  /** Average output tokens per request. */
  readonly outputSequenceLength: number;
  /**
   * Longest request (prompt + output tokens) the engines must accept: the one asked for, or the model's context
   * length. See `maxSequenceLengthRequired`.
   */
  readonly maxSequenceLength: number;
  /**
   * True when `maxSequenceLength` was asked for: every engine holds one sequence of that length. False when it
   * defaulted to the model's context length: an engine whose KV-cache budget holds less serves the longest it can
   * (see `PoolPlan.maxModelLen`).
   */
  readonly maxSequenceLengthRequired: boolean;
  /**
   * Requests per second the deployment must sustain.
   * @default - none: the plan uses `totalGpus` as well as possible
   */
  readonly requestRate?: number;
  /**
   * GPUs the deployment may use.
   * @default - no limit (a request rate sizes the deployment)
   */
  readonly totalGpus?: number;
  /** Fewest GPUs per engine. */
  readonly minGpusPerEngine: number;
  /** Most GPUs per engine. */
  readonly maxGpusPerEngine: number;
  /** GPUs per node. */
  readonly gpusPerNode: number;
  /** Time-to-first-token target, ms. */
  readonly ttftMs: number;
  /** Inter-token-latency target, ms. */
  readonly itlMs: number;
  /** Queueing assumptions. */
  readonly queueing: ResolvedQueueingAssumptions;
  /** Whether the closest configuration is returned when none meets the SLA. */
  readonly bestEffort: boolean;
}

/**
 * How `PlanResult.toText` renders a plan.
 */
export interface PlanTextOptions {
  /**
   * Opening words of the first line, followed by `: <model> on <GPU>, <sizing>`.
   * @default 'SLA plan'
   */
  readonly title?: string;
}

/**
 * What `SlaOptimizer.plan` chose, with the Pareto front it chose from.
 */
export class PlanResult {
  /** `best` is the same object wherever it is listed in `top` or `pareto` (tables mark it). @internal */
  public static _of(best: PlanCandidate, top: PlanCandidate[], pareto: PlanCandidate[], evaluated: number,
    request: ResolvedPlanRequest, calibrationId: string): PlanResult {
    return new PlanResult(best, top, pareto, evaluated, request, calibrationId);
  }

  /** One line per candidate: mode, backend, pools, GPUs, predictions. @internal */
  public static _describe(c: PlanCandidate): string {
    const pool = (p: PoolPlan) => `${p.workers}x ${PlanResult.parallelism(p, ' ')} (batch ${p.batchSize})`;
    const pools = c.aggregated ? pool(c.aggregated) : `${pool(c.prefill!)} prefill + ${pool(c.decode!)} decode`;
    return `${c.mode} ${c.backend}: ${pools}, ${c.gpus} GPUs, TTFT ${c.ttftMs} ms, ITL ${c.itlMs} ms, `
      + `${c.tokensPerSecondPerGpu} tok/s/GPU, ${c.tokensPerSecondPerUser} tok/s/user`;
  }

  /** `TP4`, `TP8 PP2`, `TP8 EP8`. */
  private static parallelism(p: PoolPlan, sep: string): string {
    return `TP${p.tensorParallel}${p.pipelineParallel > 1 ? `${sep}PP${p.pipelineParallel}` : ''}`
      + `${p.expertParallel > 1 ? `${sep}EP${p.expertParallel}` : ''}`;
  }

  private static poolJson(p: PoolPlan): any {
    return {
      workers: p.workers,
      tp: p.tensorParallel,
      pp: p.pipelineParallel,
      ep: p.expertParallel,
      batch: p.batchSize,
      maxNumBatchedTokens: p.maxNumBatchedTokens,
      maxModelLen: p.maxModelLen,
      gpusPerWorker: p.gpusPerWorker,
      nodesPerWorker: p.nodesPerWorker,
      memoryGiBPerGpu: p.memoryGiBPerGpu,
      kvCacheGiBPerGpu: p.kvCacheGiBPerGpu,
      admissibleSequences: p.admissibleSequences,
    };
  }

  private static candidateJson(c: PlanCandidate): any {
    return {
      mode: c.mode,
      backend: c.backend,
      ...(c.aggregated
        ? { agg: PlanResult.poolJson(c.aggregated) }
        : { prefill: PlanResult.poolJson(c.prefill!), decode: PlanResult.poolJson(c.decode!) }),
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

  /** `M/D/1 (Poisson arrivals, equal prompts); prefill <= 90 % busy, ...`: the assumptions behind TTFT at load. */
  private static queueingText(q: ResolvedQueueingAssumptions): string {
    const ca = q.arrivalVariability;
    const cs = q.serviceVariability;
    const kind = ca === 1 && cs === 0 ? 'M/D/1 (Poisson arrivals, equal prompts)'
      : ca === 1 ? `M/G/1 (Poisson arrivals, prompt cs2 ${cs})` : `G/G/1 Kingman (arrival ca2 ${ca}, prompt cs2 ${cs})`;
    const pct = (x: number) => `${Math.round(100 * x)} %`;
    return `${kind}; prefill workers <= ${pct(q.maxPrefillUtilisation)} busy, aggregated <= ${pct(q.maxAggregatedLoad)} `
      + `of capacity, decode slots ${pct(q.decodeOccupancy)} occupied`;
  }

  /** A fixed-width table of candidates, numbers right-aligned; `>` marks the chosen one, `*` those that meet the SLA. */
  private static table(rows: PlanCandidate[], chosen: PlanCandidate): string[] {
    const pool = (p: PoolPlan) => `${p.workers}x ${PlanResult.parallelism(p, ' ')} b${p.batchSize}`;
    const header = ['', 'mode', 'backend', 'workers', 'GPUs', 'TTFT ms', 'ITL ms', 'tok/s/GPU', 'tok/s/user', 'req/s'];
    const body = rows.map(c => [
      `${c === chosen ? '>' : ' '}${c.meetsSla ? '*' : ' '}`, c.mode, c.backend,
      c.aggregated ? pool(c.aggregated) : `P ${pool(c.prefill!)} + D ${pool(c.decode!)}`,
      String(c.gpus), c.ttftMs.toFixed(1), c.itlMs.toFixed(1), c.tokensPerSecondPerGpu.toFixed(1), c.tokensPerSecondPerUser.toFixed(1),
      c.requestsPerSecond.toFixed(2),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
    return [line(header), ...body.map(line)];
  }

  /** The chosen configuration: most tokens/s per GPU within the SLA (closest to it with `bestEffort`). */
  public readonly best: PlanCandidate;
  /** The best configuration of each parallel layout that meets the SLA, best first (at most five). */
  public readonly top: PlanCandidate[];
  /** Non-dominated configurations on (tokens/s per user, tokens/s per GPU), fastest per user first. */
  public readonly pareto: PlanCandidate[];
  /** Configurations the search evaluated. */
  public readonly candidatesEvaluated: number;
  /** The request this plan answered, defaults filled in. */
  public readonly request: ResolvedPlanRequest;
  /** Which embedded kernel calibration the predictions rest on (`SlaOptimizer.CALIBRATION_ID`). */
  public readonly calibrationId: string;

  private constructor(best: PlanCandidate, top: PlanCandidate[], pareto: PlanCandidate[], evaluated: number,
    request: ResolvedPlanRequest, calibrationId: string) {
    this.best = best;
    this.top = top;
    this.pareto = pareto;
    this.candidatesEvaluated = evaluated;
    this.request = request;
    this.calibrationId = calibrationId;
  }

  /** True when the chosen configuration meets the SLA. */
  public get meetsSla(): boolean {
    return this.best.meetsSla;
  }

  /** One line, e.g. `disagg vllm: 2x TP2 (batch 1) prefill + 3x TP4 (batch 64) decode, 14 GPUs, TTFT 84.2 ms, ITL 12.9 ms, ...`. */
  public summary(): string {
    return PlanResult._describe(this.best);
  }

  /**
   * The plan as text for people: the request, the chosen configuration and why, the best configuration per parallel
   * layout and the Pareto front as fixed-width tables (`>` marks the chosen row, `*` the rows that meet the SLA).
   * Deterministic: no timings.
   * @param options how to render it (the title of the first line)
   */
  public toText(options: PlanTextOptions = {}): string {
    const r = this.request;
    const sized = r.requestRate !== undefined
      ? `sized for ${r.requestRate} req/s${r.totalGpus !== undefined ? ` within ${r.totalGpus} GPUs` : ''}`
      : `within ${r.totalGpus} GPUs`;
    const maxLen = r.maxSequenceLengthRequired ? `requests up to ${r.maxSequenceLength} tokens`
      : `requests up to the model's ${r.maxSequenceLength} tokens where the KV cache holds them`;
    const lines = [
      `${options.title ?? 'SLA plan'}: ${r.model.name} on ${r.gpu.name}, ${sized}`,
      `targets:    TTFT <= ${r.ttftMs} ms, ITL <= ${r.itlMs} ms at ISL ${r.inputSequenceLength}, OSL ${r.outputSequenceLength} tokens (${maxLen})`,
      `queueing:   ${PlanResult.queueingText(r.queueing)}`,
      `searched:   ${this.candidatesEvaluated} configurations (${r.backends.join(', ')}; ${r.modes.join(', ')}; `
        + `weights ${r.quantization}, KV cache ${r.kvCacheDtype}); calibration ${this.calibrationId}`,
      `${this.meetsSla ? 'chosen:    ' : 'closest:   '} ${this.summary()}${this.meetsSla ? '' : ' (misses the SLA: best effort)'}`,
      `why:        ${this.best.rationale}`,
      '',
      'Best configuration per parallel layout (> chosen, * meets the SLA):',
      ...(this.top.length > 0 ? PlanResult.table(this.top, this.best) : ['  (none meets the SLA)']),
      '',
      'Pareto front, tokens/s/user against tokens/s/GPU (> chosen, * meets the SLA):',
      ...PlanResult.table(this.pareto, this.best),
    ];
    return `${lines.join('\n')}\n`;
  }

  /** A stable, plain-JSON view of the plan (request, calibration, best, top, Pareto front) for annotations, ConfigMaps and the CLI. */
  public toJson(): any {
    const r = this.request;
    return {
      request: {
        model: r.model.name,
        gpu: r.gpu.name,
        backends: r.backends,
        modes: r.modes,
        quantization: r.quantization,
        kvCacheDtype: r.kvCacheDtype,
        isl: r.inputSequenceLength,
        osl: r.outputSequenceLength,
        maxSequenceLength: r.maxSequenceLength,
        maxSequenceLengthRequired: r.maxSequenceLengthRequired,
        requestRate: r.requestRate,
        totalGpus: r.totalGpus,
        minGpusPerEngine: r.minGpusPerEngine,
        maxGpusPerEngine: r.maxGpusPerEngine,
        gpusPerNode: r.gpusPerNode,
        ttftMs: r.ttftMs,
        itlMs: r.itlMs,
        queueing: { ...r.queueing },
        bestEffort: r.bestEffort,
      },
      calibration: this.calibrationId,
      best: PlanResult.candidateJson(this.best),
      top: this.top.map(PlanResult.candidateJson),
      pareto: this.pareto.map(PlanResult.candidateJson),
      candidatesEvaluated: this.candidatesEvaluated,
    };
  }
}
