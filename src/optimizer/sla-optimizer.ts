import { createHash } from 'crypto';
import { ForwardPass } from './iteration/forward-pass';
import { CALIBRATION } from './kernels/calibration/data';
import { Estimate, PlanCandidate, PlanResult, PoolPlan, ResolvedPlanRequest, ResolvedQueueingAssumptions } from './plan-result';
import { PlanSearch, ScoredCandidate } from './search/search';
import { EstimateMode, EstimateRequest, PlanRequest, QueueingAssumptions, ServingMode } from './sla';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';

const GIB = 1024 ** 3;
const ALL_BACKENDS = [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM];

/** Errors `plan` threw because nothing met the SLA (identity, not message text, tells them apart). */
const SLA_MISSES = new WeakSet<Error>();

/**
 * Synth-time SLA optimizer: predicts latency and throughput of LLM serving configurations from kernel costs
 * (roofline x efficiency calibrated on measured H100/H200 kernels) and picks the configuration with the most
 * output tokens/s per GPU that meets the time-to-first-token and inter-token-latency targets.
 *
 * Pure computation: no I/O, deterministic for the same inputs.
 */
export class SlaOptimizer {
  /**
   * Identifies the embedded kernel calibration the predictions rest on: the first 12 hex digits of the SHA-256 of
   * the calibration figures. It changes only when the library ships new figures, so a plan recorded in Git can be
   * traced to the measurements behind it.
   */
  public static readonly CALIBRATION_ID: string = createHash('sha256').update(JSON.stringify(CALIBRATION)).digest('hex').slice(0, 12);

  /**
   * Searches aggregated and disaggregated deployments (tensor parallelism, pipeline stages when a node cannot hold the
   * model, expert parallelism for MoE, batch sizes, token budgets, prefill:decode ratios).
   * Throws naming the closest configuration and the limit it misses when nothing meets the SLA, unless `bestEffort`.
   * @param request the model, GPU, traffic, latency targets and hardware limits to plan for; either
   * `hardware.totalGpus` or `workload.requestRate` is required
   */
  public static plan(request: PlanRequest): PlanResult {
    const r = SlaOptimizer.resolve(request);
    const search = new PlanSearch(r);
    const all = search.run();
    if (all.length === 0) {
      throw PropError.invalid('SlaOptimizer.plan', 'hardware.totalGpus', r.totalGpus,
        'enough GPUs for at least one engine that holds the model',
        `${r.model.name} (${(r.model.weightBytes(r.quantization) / GIB).toFixed(1)} GiB of ${r.quantization} weights`
        + `${r.maxSequenceLengthRequired ? ` and the KV cache of one ${r.maxSequenceLength}-token sequence` : ''}) does not fit any engine of `
        + `${r.minGpusPerEngine}-${r.maxGpusPerEngine} x ${r.gpu.name} (${r.gpu.memoryGiB} GiB) within the GPU budget`);
    }
    const ranked = [...all].sort((a, b) => (PlanSearch.better(a, b) ? -1 : PlanSearch.better(b, a) ? 1 : 0));
    const meeting = ranked.filter(c => c.meetsSla);
    let best: ScoredCandidate;
    if (meeting.length > 0) {
      best = meeting[0];
    } else {
      const closest = [...all].sort((a, b) => a.violation - b.violation || (a.key < b.key ? -1 : 1))[0];
      if (!r.bestEffort) throw SlaOptimizer.missError(r, closest);
      best = closest;
    }
    const top: ScoredCandidate[] = [];
    const layouts = new Set<string>();
    for (const c of meeting) {
      const layout = SlaOptimizer.layoutOf(c);
      if (layouts.has(layout)) continue;
      layouts.add(layout);
      top.push(c);
      if (top.length === 5) break;
    }
    // One public object per candidate, so the chosen one is the same object wherever it is listed.
    const views = new Map<ScoredCandidate, PlanCandidate>();
    const view = (c: ScoredCandidate) => {
      let v = views.get(c);
      if (!v) {
        const { score: _s, violation: _v, key: _k, ...rest } = c;
        v = rest;
        views.set(c, v);
      }
      return v;
    };
    return PlanResult._of(view(best), top.map(view), SlaOptimizer.pareto(all, r).map(view), search.evaluated, r,
      SlaOptimizer.CALIBRATION_ID);
  }

  /**
   * Predicts one fixed engine configuration: latencies, throughput, memory and whether the engine admits the batch.
   * @param request the model, GPU, engine, role, parallelism, batch size and sequence lengths to predict
   */
  public static estimate(request: EstimateRequest): Estimate {
    const where = 'SlaOptimizer.estimate';
    const model = request.model;
    const tp = request.tensorParallel;
    const pp = request.pipelineParallel ?? 1;
    const ep = request.expertParallel ?? 1;
    const isl = request.inputSequenceLength ?? 512;
    const osl = request.outputSequenceLength ?? 128;
    const maxLen = request.maxSequenceLength ?? isl + osl;
    PropError.integer(where, 'tensorParallel', tp, 1, 64);
    PropError.integer(where, 'pipelineParallel', pp, 1, 16);
    PropError.integer(where, 'expertParallel', ep, 1, 64);
    PropError.integer(where, 'batchSize', request.batchSize, 1, 65536);
    PropError.integer(where, 'inputSequenceLength', isl, 1);
    PropError.integer(where, 'outputSequenceLength', osl, 1);
    SlaOptimizer.checkMaxLength(where, 'maxSequenceLength', request.maxSequenceLength, isl + osl, Math.max(isl + osl, model.maxContextLength));
    PropError.check(model.numAttentionHeads % tp === 0, where, 'tensorParallel', tp, `a divisor of the model's ${model.numAttentionHeads} attention heads`);
    PropError.check(tp % ep === 0 && (ep === 1 || model.isMoe), where, 'expertParallel', ep,
      model.isMoe ? `a divisor of tensorParallel (${tp})` : '1 (the model has no experts)');
    const fp = new ForwardPass(model, request.gpu, {
      backend: request.backend,
      tensorParallel: tp,
      pipelineParallel: pp,
      expertParallel: ep,
      quantization: request.quantization ?? model.quantization,
      kvCacheDtype: request.kvCacheDtype ?? model.kvCacheDtype,
    });
    const b = request.batchSize;
    const mode = request.mode ?? EstimateMode.AGGREGATED;
    const tokens = mode === EstimateMode.PREFILL ? Math.max(8192, b * isl) : 8192;
    const mem = fp.memory(isl + osl, tokens);
    const gpus = tp * pp;
    let ttft: number;
    let itl: number;
    let rps: number;
    // Pipeline stages keep one micro-batch each in flight: the batch splits into pp of them.
    const micro = Math.ceil(b / pp);
    if (mode === EstimateMode.PREFILL) {
      ttft = fp.iterationMs(micro * isl, micro, 0, 0);
      itl = 0;
      rps = b * 1000 / ttft;
    } else if (mode === EstimateMode.DECODE) {
      ttft = fp.iterationMs(isl, 1, 0, 0);
      itl = fp.iterationMs(0, 0, micro, isl + osl / 2);
      rps = b * 1000 / (itl * Math.max(1, osl - 1));
    } else {
      const cycle = fp.aggregated(micro, isl, osl, tokens);
      ttft = cycle.firstTokenMs;
      itl = cycle.itlMs;
      rps = cycle.capacity * b / micro;
    }
    const weightsFit = mem.weightBytes + mem.reserveBytes < request.gpu.memoryGiB * GIB;
    const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      ttftMs: round(ttft, 2),
      itlMs: round(itl, 2),
      tokensPerSecondPerGpu: round(rps * (mode === EstimateMode.PREFILL ? 1 : osl) / gpus, 1),
      tokensPerSecondPerUser: itl > 0 ? round(1000 / itl, 1) : 0,
      requestsPerSecond: round(rps, 3),
      memoryGiBPerGpu: round((mem.weightBytes + mem.reserveBytes + b * mem.kvBytesPerSequence) / GIB, 1),
      weightGiBPerGpu: round(mem.weightBytes / GIB, 1),
      kvCacheGiBPerGpu: round(mem.kvBudgetBytes / GIB, 1),
      admissibleSequences: mem.maxSequences,
      longestSequence: fp.longestSequence(tokens, model.maxContextLength),
      fits: weightsFit && mem.maxSequences >= b && fp.longestSequence(tokens, maxLen) >= maxLen,
    };
  }

  /**
   * True for the error `plan` throws when no configuration meets the SLA, as opposed to invalid input
   * (the CLI exits 1 on the first, 2 on the second).
   * @internal
   */
  public static _isSlaMiss(e: unknown): boolean {
    return e instanceof Error && SLA_MISSES.has(e);
  }

  private static resolve(q: PlanRequest): ResolvedPlanRequest {
    const where = 'SlaOptimizer.plan';
    const w = q.workload ?? {};
    const s = q.sla ?? {};
    const h = q.hardware ?? {};
    const gpusPerNode = h.gpusPerNode ?? q.gpu.gpusPerNode;
    PropError.integer(where, 'workload.inputSequenceLength', w.inputSequenceLength, 1, 1_048_576);
    PropError.integer(where, 'workload.outputSequenceLength', w.outputSequenceLength, 1, 1_048_576);
    PropError.integer(where, 'hardware.totalGpus', h.totalGpus, 1, 100_000);
    PropError.integer(where, 'hardware.gpusPerNode', h.gpusPerNode, 1, 1024);
    PropError.integer(where, 'hardware.minGpusPerEngine', h.minGpusPerEngine, 1, 1024);
    PropError.integer(where, 'hardware.maxGpusPerEngine', h.maxGpusPerEngine, 1, 1024);
    for (const [prop, v] of [['sla.ttftMs', s.ttftMs], ['sla.itlMs', s.itlMs], ['workload.requestRate', w.requestRate]] as const) {
      PropError.check(v === undefined || (Number.isFinite(v) && v > 0), where, prop, v, 'a positive number');
    }
    PropError.check(h.totalGpus !== undefined || w.requestRate !== undefined, where, 'hardware.totalGpus', h.totalGpus,
      'a GPU budget (a whole number >= 1), or unset with a workload.requestRate',
      'one of hardware.totalGpus and workload.requestRate is required to size the deployment, and neither is set');
    const min = h.minGpusPerEngine ?? 1;
    const max = h.maxGpusPerEngine ?? gpusPerNode * 2;
    PropError.check(min <= max, where, 'hardware.minGpusPerEngine', min, `at most maxGpusPerEngine (${max})`);
    const backends = q.backends ?? ALL_BACKENDS;
    PropError.check(backends.length > 0, where, 'backends', backends, `one or more of ${ALL_BACKENDS.join(', ')}`);
    const modes = q.modes ?? [ServingMode.AGGREGATED, ServingMode.DISAGGREGATED];
    PropError.check(modes.length > 0, where, 'modes', modes, 'one or more of agg, disagg');
    const isl = w.inputSequenceLength ?? 512;
    const osl = w.outputSequenceLength ?? 128;
    const queueing = SlaOptimizer.resolveQueueing(where, q.queueing ?? {});
    PropError.check(isl + osl <= q.model.maxContextLength, where, 'workload.inputSequenceLength', isl,
      `ISL + OSL within the model's context of ${q.model.maxContextLength} tokens`);
    SlaOptimizer.checkMaxLength(where, 'workload.maxSequenceLength', w.maxSequenceLength, isl + osl, q.model.maxContextLength);
    return {
      model: q.model,
      gpu: q.gpu,
      backends: ALL_BACKENDS.filter(b => backends.includes(b)),
      modes: [ServingMode.AGGREGATED, ServingMode.DISAGGREGATED].filter(m => modes.includes(m)),
      quantization: q.quantization ?? q.model.quantization,
      kvCacheDtype: q.kvCacheDtype ?? q.model.kvCacheDtype,
      inputSequenceLength: isl,
      outputSequenceLength: osl,
      maxSequenceLength: w.maxSequenceLength ?? q.model.maxContextLength,
      maxSequenceLengthRequired: w.maxSequenceLength !== undefined,
      requestRate: w.requestRate,
      totalGpus: h.totalGpus,
      minGpusPerEngine: min,
      maxGpusPerEngine: max,
      gpusPerNode,
      ttftMs: s.ttftMs ?? 100,
      itlMs: s.itlMs ?? 15,
      queueing,
      bestEffort: q.bestEffort ?? false,
    };
  }

  private static resolveQueueing(where: string, q: QueueingAssumptions): ResolvedQueueingAssumptions {
    for (const [prop, v] of [['arrivalVariability', q.arrivalVariability], ['serviceVariability', q.serviceVariability]] as const) {
      PropError.check(v === undefined || (Number.isFinite(v) && v >= 0 && v <= 100), where, `queueing.${prop}`, v,
        'a squared coefficient of variation from 0 to 100 (1 = Poisson arrivals / exponential prompt lengths)');
    }
    for (const [prop, v] of [['maxPrefillUtilisation', q.maxPrefillUtilisation], ['maxAggregatedLoad', q.maxAggregatedLoad],
      ['decodeOccupancy', q.decodeOccupancy]] as const) {
      PropError.check(v === undefined || (Number.isFinite(v) && v > 0 && v <= 1), where, `queueing.${prop}`, v, 'a share above 0 and at most 1');
    }
    return {
      arrivalVariability: q.arrivalVariability ?? 1,
      serviceVariability: q.serviceVariability ?? 0,
      maxPrefillUtilisation: q.maxPrefillUtilisation ?? 0.9,
      maxAggregatedLoad: q.maxAggregatedLoad ?? 0.95,
      decodeOccupancy: q.decodeOccupancy ?? 0.95,
    };
  }

  private static checkMaxLength(where: string, prop: string, value: number | undefined, min: number, max: number): void {
    PropError.check(value === undefined || (Number.isInteger(value) && value >= min && value <= max), where, prop, value,
      `a whole number from ISL + OSL (${min}) to the model's context length (${max})`);
  }

  /** Non-dominated on (tokens/s/user, tokens/s/GPU) among configurations that meet TTFT; fastest per user first. */
  private static pareto(all: ScoredCandidate[], r: ResolvedPlanRequest): ScoredCandidate[] {
    const pool = all.filter(c => c.ttftMs <= r.ttftMs);
    const sorted = [...(pool.length > 0 ? pool : all)].sort((a, b) =>
      b.tokensPerSecondPerUser - a.tokensPerSecondPerUser || b.score - a.score || (a.key < b.key ? -1 : 1));
    const front: ScoredCandidate[] = [];
    for (const c of sorted) {
      if (front.length === 0 || c.score > front[front.length - 1].score + 1e-9) front.push(c);
    }
    return front;
  }

  private static missError(r: ResolvedPlanRequest, c: ScoredCandidate): Error {
    const misses = [
      c.ttftMs > r.ttftMs ? `TTFT ${c.ttftMs} ms > ${r.ttftMs} ms` : undefined,
      c.itlMs > r.itlMs ? `ITL ${c.itlMs} ms > ${r.itlMs} ms` : undefined,
    ].filter(Boolean).join(' and ');
    const error = PropError.invalid('SlaOptimizer.plan', 'sla', { ttftMs: r.ttftMs, itlMs: r.itlMs },
      'targets some configuration can meet: relax TTFT/ITL, allow more GPUs per engine, pick a faster GPU or quantization, or set bestEffort',
      `no configuration of ${r.model.name} on ${r.gpu.name} meets it; closest: ${PlanResult._describe(c)} (misses ${misses})`);
    SLA_MISSES.add(error);
    return error;
  }

  /** Mode, backend and parallelism of a candidate, without batch sizes and worker counts. */
  private static layoutOf(c: PlanCandidate): string {
    const pool = (p?: PoolPlan) => (p ? `${p.tensorParallel}/${p.pipelineParallel}/${p.expertParallel}` : '-');
    return `${c.mode}|${c.backend}|${pool(c.aggregated)}|${pool(c.prefill)}|${pool(c.decode)}`;
  }

  private constructor() {}
}
