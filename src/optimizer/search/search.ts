import { EngineLayout, ForwardPass } from '../iteration/forward-pass';
import { PlanCandidate, PoolPlan, ResolvedPlanRequest } from '../plan-result';
import { Queueing } from './queueing';
import { Backend } from '../../engines/backend';
import { ServingMode } from '../sla';

const GIB = 1024 ** 3;
/** Decode / aggregated batch sizes tried (plus the largest batch the KV budget admits). */
const BATCHES = [1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024];
/** Aggregated token budgets per iteration (chunked prefill). */
const CHUNKS = [2048, 4096, 8192, 16384];
/** Prompts per disaggregated prefill batch. */
const PREFILL_BATCHES = [1, 2, 4, 8];
/** NIXL handshake per KV transfer, ms. */
const KV_TRANSFER_OVERHEAD_MS = 0.5;

/**
 * An evaluated deployment plus the numbers the search ranks by.
 * @internal
 */
export interface ScoredCandidate extends PlanCandidate {
  /** Deployment output tokens/s per GPU of the budget (idle GPUs count), or per used GPU with a request rate. */
  readonly score: number;
  /** How far the worst latency is over its target (1 = exactly at the target). */
  readonly violation: number;
  /** Stable identity for tie-breaking and de-duplication. */
  readonly key: string;
}

interface Layout extends EngineLayout { readonly gpus: number }

interface PrefillOption {
  fp: ForwardPass;
  layout: Layout;
  batch: number;
  serviceMs: number;
  /** Time one batch occupies the worker (its pipeline stages overlap the next batches). */
  occupancyMs: number;
  capacity: number;
  transferMs: number;
  maxLen: number;
  pool: (workers: number, maxLen: number) => PoolPlan;
}
interface MicroBatch { micro: number; batch: number; capped: boolean; admissible: number }
interface RateMatch { x: number; y: number; rate: number; gpus: number; prefillBound: boolean }
interface DecodeOption {
  fp: ForwardPass;
  layout: Layout;
  /** Sequences per worker (all micro-batches). */
  batch: number;
  /** Whether the KV-cache budget sets the batch. */
  capped: boolean;
  itlMs: number;
  capacity: number;
  maxLen: number;
  pool: (workers: number, maxLen: number) => PoolPlan;
}

/**
 * The search: enumerate engine layouts per backend, evaluate aggregated in-flight batching and disaggregated
 * prefill/decode rate matching, and score each deployment against the SLA and the GPU budget.
 * @internal
 */
export class PlanSearch {
  /** Ranking: higher score, then faster per user, then the stable key. */
  public static better(a: ScoredCandidate, b: ScoredCandidate): boolean {
    if (Math.abs(a.score - b.score) > 1e-9 * Math.max(1, b.score)) return a.score > b.score;
    if (a.tokensPerSecondPerUser !== b.tokensPerSecondPerUser) return a.tokensPerSecondPerUser > b.tokensPerSecondPerUser;
    return a.key < b.key;
  }

  public evaluated = 0;
  private readonly passes = new Map<string, ForwardPass>();
  private readonly kernelTimes = new Map<string, number>();

  private readonly queue: Queueing;

  constructor(private readonly r: ResolvedPlanRequest) {
    this.queue = new Queueing(r.queueing.arrivalVariability, r.queueing.serviceVariability);
  }

  public run(): ScoredCandidate[] {
    const out: ScoredCandidate[] = [];
    for (const backend of this.r.backends) {
      const layouts = this.layouts(backend);
      if (this.r.modes.includes(ServingMode.AGGREGATED)) out.push(...this.aggregated(layouts));
      if (this.r.modes.includes(ServingMode.DISAGGREGATED)) out.push(...this.disaggregated(backend, layouts));
    }
    return out;
  }

  /** Engine layouts that are legal for the model and fit the GPU; pipeline stages only when one node cannot hold the model. */
  public layouts(backend: Backend): Layout[] {
    const m = this.r.model;
    const result: Layout[] = [];
    const tps: number[] = [];
    for (let tp = 1; tp <= this.r.gpusPerNode; tp *= 2) {
      const headsOk = m.numAttentionHeads % tp === 0 && (m.isMla || tp % m.numKeyValueHeads === 0 || m.numKeyValueHeads % tp === 0);
      if (headsOk) tps.push(tp);
    }
    const maxTp = tps[tps.length - 1];
    for (const pp of [1, 2, 4]) {
      for (const tp of pp === 1 ? tps : [maxTp]) {
        const gpus = tp * pp;
        if (gpus < this.r.minGpusPerEngine || gpus > this.r.maxGpusPerEngine) continue;
        if (this.r.totalGpus !== undefined && gpus > this.r.totalGpus) continue;
        const eps = m.isMoe && tp > 1 && m.numExperts % tp === 0 ? [1, tp] : [1];
        for (const ep of eps) {
          const layout: Layout = {
            backend,
            tensorParallel: tp,
            pipelineParallel: pp,
            expertParallel: ep,
            quantization: this.r.quantization,
            kvCacheDtype: this.r.kvCacheDtype,
            gpus,
          };
          if (this.maxModelLen(this.pass(layout), CHUNKS[0]) !== undefined) result.push(layout);
        }
      }
      // Pipeline stages are a last resort: only when no single-node layout holds the model.
      if (result.length > 0) break;
    }
    return result;
  }

  public pass(layout: EngineLayout): ForwardPass {
    const key = `${layout.backend}|${layout.tensorParallel}|${layout.pipelineParallel}|${layout.expertParallel}|${layout.quantization}|${layout.kvCacheDtype}`;
    let fp = this.passes.get(key);
    if (!fp) {
      fp = new ForwardPass(this.r.model, this.r.gpu, layout, this.kernelTimes);
      this.passes.set(key, fp);
    }
    return fp;
  }

  /** Batch sizes to try under an admission limit: the list up to it, plus the limit itself. */
  private batches(admissible: number): number[] {
    const list = BATCHES.filter(b => b <= admissible);
    if (admissible < BATCHES[BATCHES.length - 1] && !list.includes(admissible)) list.push(admissible);
    return list;
  }

  /**
   * Batches to try with `tokens` per iteration. Pipeline stages keep one micro-batch each in flight, so a worker
   * holds `micro` sequences per stage and `batch` = pp x `micro` in all; `capped` marks the largest, set by the
   * KV-cache budget of `admissible` sequences.
   */
  private microBatches(fp: ForwardPass, pp: number, tokens: number): MicroBatch[] {
    const admissible = fp.memory(this.r.inputSequenceLength + this.r.outputSequenceLength, tokens).maxSequences;
    const micros = this.batches(Math.floor(admissible / pp));
    return micros.map((micro, i) => ({ micro, batch: micro * pp, capped: i === micros.length - 1 && (micro + 1) * pp > admissible, admissible }));
  }

  /**
   * The engine's max model length with an iteration of `tokens`, or undefined when the engine cannot serve the
   * workload: its KV budget must hold one average request (batches are admitted at the average length) and, when
   * the user asked for a maximum length, one sequence of it. Without one, the model's context length is lowered to
   * what the budget holds.
   */
  private maxModelLen(fp: ForwardPass, tokens: number): number | undefined {
    const { inputSequenceLength: isl, outputSequenceLength: osl, maxSequenceLength: max } = this.r;
    if (fp.memory(isl + osl, tokens).maxSequences < 1) return undefined;
    const longest = fp.longestSequence(tokens, max);
    if (longest >= max) return max;
    if (this.r.maxSequenceLengthRequired) return undefined;
    return Math.max(isl + osl, Math.floor(longest / 1024) * 1024);
  }

  private pool(fp: ForwardPass, layout: Layout, workers: number, batch: number, tokens: number, maxLen: number): PoolPlan {
    const mem = fp.memory(this.r.inputSequenceLength + this.r.outputSequenceLength, tokens);
    const used = mem.weightBytes + mem.reserveBytes + batch * mem.kvBytesPerSequence;
    return {
      workers,
      tensorParallel: layout.tensorParallel,
      pipelineParallel: layout.pipelineParallel,
      expertParallel: layout.expertParallel,
      gpusPerWorker: layout.gpus,
      nodesPerWorker: Math.ceil(layout.gpus / this.r.gpusPerNode),
      batchSize: batch,
      maxNumBatchedTokens: tokens,
      maxModelLen: maxLen,
      memoryGiBPerGpu: round(used / GIB, 1),
      kvCacheGiBPerGpu: round(mem.kvBudgetBytes / GIB, 1),
      admissibleSequences: mem.maxSequences,
    };
  }

  private aggregated(layouts: Layout[]): ScoredCandidate[] {
    const { inputSequenceLength: isl, outputSequenceLength: osl } = this.r;
    const out: ScoredCandidate[] = [];
    for (const layout of layouts) {
      const fp = this.pass(layout);
      for (const chunk of CHUNKS) {
        if (chunk < Math.min(isl, CHUNKS[CHUNKS.length - 1]) && chunk !== CHUNKS[0]) continue;
        const maxLen = this.maxModelLen(fp, chunk);
        if (maxLen === undefined) continue;
        const pp = layout.pipelineParallel;
        for (const { micro, batch, capped, admissible } of this.microBatches(fp, pp, chunk)) {
          this.evaluated++;
          const cycle = fp.aggregated(micro, isl, osl, chunk);
          const { itlMs: itl, firstTokenMs } = cycle;
          const capacity = cycle.capacity * pp;
          const laneMs = cycle.prefillLaneMs / pp;
          const aggCap = this.r.queueing.maxAggregatedLoad;
          const maxUtil = this.queue.maxUtilisation(firstTokenMs, laneMs, this.r.ttftMs, 1);
          const loadCap = Math.min(aggCap, maxUtil > 0 ? this.loadForLaneUtil(maxUtil, laneMs, capacity) : aggCap);
          const perWorker = (lambda: number) => firstTokenMs + this.queue.waitMs(lambda * laneMs / 1000, laneMs);
          const deploy = this.deploy(layout.gpus, capacity * loadCap);
          if (!deploy) continue;
          const workerRate = deploy.rate / deploy.workers;
          const ttft = perWorker(workerRate);
          const aggPool = this.pool(fp, layout, deploy.workers, batch, chunk, maxLen);
          const limits = [
            capped ? `batch capped by the KV-cache budget (${admissible} sequences of ${isl + osl} tokens)` : undefined,
            maxLen < this.r.maxSequenceLength ? `max model length ${maxLen}: the KV-cache budget holds no longer sequence` : undefined,
            maxUtil > 0 && loadCap < aggCap ? `load held at ${pct(workerRate / capacity)} of capacity to keep queueing within TTFT` : undefined,
          ].filter((s): s is string => !!s);
          out.push(this.candidate({
            mode: ServingMode.AGGREGATED,
            backend: layout.backend,
            aggregated: aggPool,
            gpus: deploy.gpus,
            ttftMs: ttft,
            itlMs: itl,
            requestsPerSecond: deploy.rate,
            rationale: [`${deploy.workers} x TP${layout.tensorParallel}${layout.pipelineParallel > 1 ? ` PP${layout.pipelineParallel}` : ''} workers, batch ${batch}, ${chunk} tokens per iteration`, ...limits].join('; '),
          }, `agg|${layout.backend}|${layout.tensorParallel}|${layout.pipelineParallel}|${layout.expertParallel}|${chunk}|${batch}`));
        }
      }
    }
    return out;
  }

  /** Request rate at which the prefill lane reaches `util`, bounded by the worker's capacity. */
  private loadForLaneUtil(util: number, laneMs: number, capacity: number): number {
    return Math.min(1, (util * 1000 / laneMs) / capacity);
  }

  /**
   * Workers and GPUs for a per-worker rate. With a request rate: as many workers as carry it (within the budget);
   * otherwise every worker the budget holds.
   */
  private deploy(gpusPerWorker: number, ratePerWorker: number): { workers: number; gpus: number; rate: number } | undefined {
    if (ratePerWorker <= 0) return undefined;
    if (this.r.requestRate !== undefined) {
      const workers = Math.max(1, Math.ceil(this.r.requestRate / ratePerWorker - 1e-9));
      const gpus = workers * gpusPerWorker;
      if (this.r.totalGpus !== undefined && gpus > this.r.totalGpus) return undefined;
      return { workers, gpus, rate: this.r.requestRate };
    }
    const workers = Math.floor(this.r.totalGpus! / gpusPerWorker);
    if (workers < 1) return undefined;
    return { workers, gpus: workers * gpusPerWorker, rate: workers * ratePerWorker };
  }

  private disaggregated(backend: Backend, layouts: Layout[]): ScoredCandidate[] {
    const { inputSequenceLength: isl, outputSequenceLength: osl } = this.r;
    const prefills: PrefillOption[] = [];
    const decodes: DecodeOption[] = [];
    for (const layout of layouts) {
      const fp = this.pass(layout);
      for (const batch of PREFILL_BATCHES) {
        const tokens = Math.max(8192, batch * isl);
        if (batch > 1 && batch * isl > 16384) break;
        const maxLen = this.maxModelLen(fp, tokens);
        const pp = layout.pipelineParallel;
        if (maxLen === undefined || fp.memory(isl + osl, tokens).maxSequences < batch * pp) break;
        this.evaluated++;
        const serviceMs = fp.iterationMs(batch * isl, batch, 0, 0);
        // The batch's KV cache leaves over the workers' NICs (one per GPU) before decode can start.
        const kvBytes = batch * this.r.model.kvCacheBytesPerSequence(isl, this.r.kvCacheDtype);
        const transferMs = kvBytes / (layout.gpus * this.r.gpu.interNodeBandwidthGBps * 1e9) * 1e3 + KV_TRANSFER_OVERHEAD_MS;
        prefills.push({
          fp,
          layout,
          batch,
          serviceMs,
          occupancyMs: serviceMs / pp,
          capacity: pp * batch * 1000 / serviceMs,
          transferMs,
          maxLen,
          pool: (w, len) => this.pool(fp, layout, w, batch * pp, tokens, len),
        });
      }
      const tokens = 2048;
      const maxLen = this.maxModelLen(fp, tokens);
      if (maxLen === undefined) continue;
      for (const { micro, batch, capped } of this.microBatches(fp, layout.pipelineParallel, tokens)) {
        this.evaluated++;
        const itlMs = fp.iterationMs(0, 0, micro, isl + osl / 2);
        decodes.push({
          fp,
          layout,
          batch,
          capped,
          itlMs,
          capacity: batch * 1000 / (itlMs * Math.max(1, osl - 1)),
          maxLen,
          pool: (w, len) => this.pool(fp, layout, w, batch, Math.max(tokens, micro), len),
        });
      }
    }
    const out: ScoredCandidate[] = [];
    for (const d of decodes) {
      // Rank pairings on their score alone (the decode side, hence per-user speed, is fixed); build the winner only.
      let best: { p: PrefillOption; match: RateMatch } | undefined;
      for (const p of prefills) {
        // SGLang (without wide EP) needs the same TP on both sides to transfer KV.
        if (backend === Backend.SGLANG && p.layout.tensorParallel !== d.layout.tensorParallel) continue;
        this.evaluated++;
        const match = this.rateMatch(p, d);
        if (match && (!best || this.matchScore(match) > this.matchScore(best.match) * (1 + 1e-12))) {
          best = { p, match };
        }
      }
      if (best) out.push(this.pair(best.p, d, best.match));
    }
    return out;
  }

  /** A pairing's score: throughput of the GPU budget, or throughput per GPU when sizing for a request rate. */
  private matchScore(m: RateMatch): number {
    return this.r.requestRate === undefined ? m.rate : m.rate / m.gpus;
  }

  /** Rate-match x prefill : y decode workers for one prefill and one decode option. */
  private rateMatch(p: PrefillOption, d: DecodeOption): RateMatch | undefined {
    const idleTtft = p.serviceMs + p.transferMs;
    const cap = this.r.queueing.maxPrefillUtilisation;
    const maxUtil = this.queue.maxUtilisation(idleTtft, p.occupancyMs, this.r.ttftMs, cap);
    const util = maxUtil > 0 ? maxUtil : cap;
    const prefillRate = p.capacity * util;
    const decodeRate = d.capacity * this.r.queueing.decodeOccupancy;
    const gp = p.layout.gpus;
    const gd = d.layout.gpus;
    if (this.r.requestRate !== undefined) {
      const x = Math.ceil(this.r.requestRate / prefillRate - 1e-9);
      const y = Math.ceil(this.r.requestRate / decodeRate - 1e-9);
      const gpus = x * gp + y * gd;
      if (this.r.totalGpus !== undefined && gpus > this.r.totalGpus) return undefined;
      return { x, y, rate: this.r.requestRate, gpus, prefillBound: x * prefillRate <= y * decodeRate };
    }
    let choice: RateMatch | undefined;
    const budget = this.r.totalGpus!;
    for (let x = 1; x * gp + gd <= budget; x++) {
      const room = Math.floor((budget - x * gp) / gd);
      const y = Math.min(room, Math.ceil(x * prefillRate / decodeRate - 1e-9));
      const rate = Math.min(x * prefillRate, y * decodeRate);
      const gpus = x * gp + y * gd;
      if (!choice || rate > choice.rate * (1 + 1e-12) || (rate >= choice.rate * (1 - 1e-12) && gpus < choice.gpus)) {
        choice = { x, y, rate, gpus, prefillBound: x * prefillRate <= y * decodeRate };
      }
    }
    return choice;
  }

  private pair(p: PrefillOption, d: DecodeOption, choice: RateMatch): ScoredCandidate {
    const idleTtft = p.serviceMs + p.transferMs;
    const { x, y, rate } = choice;
    const prefillUtil = rate / (x * p.capacity);
    const ttft = p.serviceMs + this.queue.waitMs(prefillUtil, p.occupancyMs) + p.transferMs;
    const { gpus } = choice;
    const limiting = choice.prefillBound ? 'prefill' : 'decode';
    // A request must fit both sides of the KV hand-off.
    const maxLen = Math.min(p.maxLen, d.maxLen);
    const rationale = [
      `${x} prefill TP${p.layout.tensorParallel} (batch ${p.batch}) : ${y} decode TP${d.layout.tensorParallel} (batch ${d.batch}) workers`,
      `prefill at ${pct(prefillUtil)} utilisation (queueing wait ${round(ttft - idleTtft, 1)} ms)`,
      `decode batch ${d.batch}${d.capped ? ' capped by the KV-cache budget' : ''}`,
      `${limiting}-bound`,
      ...(maxLen < this.r.maxSequenceLength ? [`max model length ${maxLen}: the KV-cache budget holds no longer sequence`] : []),
    ].join('; ');
    return this.candidate({
      mode: ServingMode.DISAGGREGATED,
      backend: p.layout.backend,
      prefill: p.pool(x, maxLen),
      decode: d.pool(y, maxLen),
      gpus,
      ttftMs: ttft,
      itlMs: d.itlMs,
      requestsPerSecond: rate,
      rationale,
    }, `disagg|${p.layout.backend}|${p.layout.tensorParallel}|${p.layout.pipelineParallel}|${p.layout.expertParallel}|${p.batch}|${d.layout.tensorParallel}|${d.layout.pipelineParallel}|${d.layout.expertParallel}|${d.batch}`);
  }

  private candidate(c: Omit<PlanCandidate, 'tokensPerSecondPerGpu' | 'tokensPerSecondPerUser' | 'meetsSla'>, key: string): ScoredCandidate {
    const tokensPerSecond = c.requestsPerSecond * this.r.outputSequenceLength;
    const perBudgetGpu = tokensPerSecond / (this.r.requestRate === undefined ? this.r.totalGpus! : c.gpus);
    const violation = Math.max(c.ttftMs / this.r.ttftMs, c.itlMs / this.r.itlMs);
    return {
      ...c,
      ttftMs: round(c.ttftMs, 2),
      itlMs: round(c.itlMs, 2),
      requestsPerSecond: round(c.requestsPerSecond, 3),
      tokensPerSecondPerGpu: round(tokensPerSecond / c.gpus, 1),
      tokensPerSecondPerUser: round(1000 / c.itlMs, 1),
      meetsSla: violation <= 1 + 1e-9,
      score: perBudgetGpu,
      violation,
      key,
    };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pct(x: number): string {
  return `${Math.round(100 * x)} %`;
}
