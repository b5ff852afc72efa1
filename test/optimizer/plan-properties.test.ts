import * as fc from 'fast-check';
import { Backend, GpuProfile, ModelArchitecture, PlanCandidate, PlanRequest, PoolPlan, SlaOptimizer } from '../../src';

// Random (catalog model, catalog GPU, engines, ISL/OSL, SLA, GPU budget or request rate): whatever the plan returns
// must be a deployment the engines can run and that the numbers describe honestly.

const MODELS = ModelArchitecture.knownIds().map(id => ModelArchitecture.of(id));
const pools = (c: PlanCandidate) => [c.aggregated, c.prefill, c.decode].filter((p): p is PoolPlan => p !== undefined);

/** Every number anywhere in a JSON value. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) value.forEach(v => numbers(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach(v => numbers(v, out));
  return out;
}

const requests = fc.record({
  model: fc.constantFrom(...MODELS),
  gpu: fc.constantFrom(...GpuProfile.all()),
  backends: fc.subarray([Backend.VLLM, Backend.SGLANG, Backend.TRTLLM], { minLength: 1 }),
  isl: fc.integer({ min: 1, max: 16384 }),
  osl: fc.integer({ min: 1, max: 4096 }),
  ttftMs: fc.double({ min: 5, max: 10000, noNaN: true }),
  itlMs: fc.double({ min: 1, max: 300, noNaN: true }),
  totalGpus: fc.option(fc.integer({ min: 1, max: 32 }), { nil: undefined }),
  requestRate: fc.option(fc.double({ min: 0.1, max: 200, noNaN: true }), { nil: undefined }),
  bestEffort: fc.constantFrom(true, true, true, false),
}).filter(r => r.totalGpus !== undefined || r.requestRate !== undefined);

test('property: plans are finite, deterministic, within the SLA (unless best effort), the GPU budget, the node and the memory', () => {
  fc.assert(fc.property(requests, q => {
    const request: PlanRequest = {
      model: q.model,
      gpu: q.gpu,
      backends: q.backends,
      workload: { inputSequenceLength: q.isl, outputSequenceLength: Math.min(q.osl, q.model.maxContextLength - q.isl), requestRate: q.requestRate },
      sla: { ttftMs: q.ttftMs, itlMs: q.itlMs },
      hardware: { totalGpus: q.totalGpus },
      bestEffort: q.bestEffort,
    };
    let plan;
    try {
      plan = SlaOptimizer.plan(request);
    } catch (e) {
      // The only refusals: no engine holds the model within the budget, or (without best effort) no SLA match.
      expect((e as Error).message).toMatch(/^\[SlaOptimizer\.plan\] '(hardware\.totalGpus|sla)' is .*allowed: /);
      return;
    }
    const json = plan.toJson();
    for (const n of numbers(json)) expect(Number.isFinite(n)).toBe(true);
    expect(JSON.stringify(SlaOptimizer.plan(request).toJson())).toBe(JSON.stringify(json));

    const r = plan.request;
    if (!q.bestEffort) expect(plan.meetsSla).toBe(true);
    for (const c of [plan.best, ...plan.top, ...plan.pareto]) {
      // meetsSla says what the numbers say (they are rounded to 0.01 ms).
      expect(c.meetsSla).toBe(c.ttftMs <= r.ttftMs + 0.005 && c.itlMs <= r.itlMs + 0.005);
      expect(c.gpus).toBe(pools(c).reduce((n, p) => n + p.workers * p.gpusPerWorker, 0));
      if (r.totalGpus !== undefined) expect(c.gpus).toBeLessThanOrEqual(r.totalGpus);
      expect(c.requestsPerSecond).toBeGreaterThan(0);
      expect(c.tokensPerSecondPerGpu).toBeGreaterThanOrEqual(0);
      expect(c.ttftMs).toBeGreaterThan(0);
      expect(c.itlMs).toBeGreaterThan(0);
      for (const p of pools(c)) {
        expect(p.workers).toBeGreaterThanOrEqual(1);
        expect(p.gpusPerWorker).toBe(p.tensorParallel * p.pipelineParallel);
        expect(p.tensorParallel).toBeLessThanOrEqual(r.gpusPerNode);
        expect(p.nodesPerWorker).toBe(Math.ceil(p.gpusPerWorker / r.gpusPerNode));
        expect(p.gpusPerWorker).toBeLessThanOrEqual(r.maxGpusPerEngine);
        // Admitted by memory: the batch at the average length, one request of the max model length, all within the GPU.
        expect(p.batchSize).toBeGreaterThanOrEqual(1);
        expect(p.batchSize).toBeLessThanOrEqual(p.admissibleSequences);
        expect(p.memoryGiBPerGpu).toBeLessThanOrEqual(r.gpu.memoryGiB);
        expect(p.maxModelLen).toBeGreaterThanOrEqual(r.inputSequenceLength + r.outputSequenceLength);
        expect(p.maxModelLen).toBeLessThanOrEqual(r.model.maxContextLength);
        expect(p.maxNumBatchedTokens).toBeGreaterThanOrEqual(p.batchSize);
      }
      if (c.prefill) expect(c.prefill.maxModelLen).toBe(c.decode!.maxModelLen);
    }
  }), { numRuns: 40, seed: 20260101 });
});
