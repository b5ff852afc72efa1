import { createHash } from 'crypto';
import { Backend, GpuProfile, KvCacheDtype, ModelArchitecture, Quantization, QueueingAssumptions, ServingMode, SlaOptimizer } from '../../src';
import { CALIBRATION } from '../../src/optimizer/kernels/calibration/data';

const QWEN8 = ModelArchitecture.of('Qwen/Qwen3-8B');

describe('PlanResult', () => {
  const plan = SlaOptimizer.plan({ model: QWEN8, gpu: GpuProfile.H100_SXM, hardware: { totalGpus: 4 }, workload: { inputSequenceLength: 1024 } });

  test('request: the typed request the plan answered, defaults filled in', () => {
    expect(plan.request).toEqual({
      model: QWEN8,
      gpu: GpuProfile.H100_SXM,
      backends: [Backend.VLLM, Backend.SGLANG, Backend.TRTLLM],
      modes: [ServingMode.AGGREGATED, ServingMode.DISAGGREGATED],
      quantization: Quantization.BF16,
      kvCacheDtype: KvCacheDtype.BF16,
      inputSequenceLength: 1024,
      outputSequenceLength: 128,
      maxSequenceLength: 40960,
      maxSequenceLengthRequired: false,
      requestRate: undefined,
      totalGpus: 4,
      minGpusPerEngine: 1,
      maxGpusPerEngine: 16,
      gpusPerNode: 8,
      ttftMs: 100,
      itlMs: 15,
      queueing: { arrivalVariability: 1, serviceVariability: 0, maxPrefillUtilisation: 0.9, maxAggregatedLoad: 0.95, decodeOccupancy: 0.95 },
      bestEffort: false,
    });
    expect(plan.toJson().request).toEqual(expect.objectContaining({ model: 'Qwen/Qwen3-8B', gpu: 'h100-sxm', isl: 1024, osl: 128, maxSequenceLength: 40960 }));
  });

  test('calibration id: 12 hex digits of the SHA-256 of the embedded calibration, on every plan', () => {
    expect(SlaOptimizer.CALIBRATION_ID).toBe(createHash('sha256').update(JSON.stringify(CALIBRATION)).digest('hex').slice(0, 12));
    expect(plan.calibrationId).toBe(SlaOptimizer.CALIBRATION_ID);
    expect(plan.toJson().calibration).toBe(SlaOptimizer.CALIBRATION_ID);
  });

  test('toText: request, choice and why, then both tables with the chosen row marked', () => {
    const text = plan.toText();
    const lines = text.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'SLA plan: Qwen/Qwen3-8B on h100-sxm, within 4 GPUs',
      "targets:    TTFT <= 100 ms, ITL <= 15 ms at ISL 1024, OSL 128 tokens (requests up to the model's 40960 tokens where the KV cache holds them)",
      'queueing:   M/D/1 (Poisson arrivals, equal prompts); prefill workers <= 90 % busy, aggregated <= 95 % of capacity, decode slots 95 % occupied',
      `searched:   ${plan.candidatesEvaluated} configurations (vllm, sglang, trtllm; agg, disagg; weights bf16, KV cache bf16); calibration ${plan.calibrationId}`,
      `chosen:     ${plan.summary()}`,
      `why:        ${plan.best.rationale}`,
    ]);
    expect(text.endsWith('\n')).toBe(true);
    const header = /^ {4}mode +backend +workers +GPUs +TTFT ms +ITL ms +tok\/s\/GPU +tok\/s\/user +req\/s$/;
    const topAt = lines.indexOf('Best configuration per parallel layout (> chosen, * meets the SLA):');
    const paretoAt = lines.indexOf('Pareto front, tokens/s/user against tokens/s/GPU (> chosen, * meets the SLA):');
    expect(lines[topAt + 1]).toMatch(header);
    expect(lines[paretoAt + 1]).toMatch(header);
    const topRows = lines.slice(topAt + 2, topAt + 2 + plan.top.length);
    const paretoRows = lines.slice(paretoAt + 2, paretoAt + 2 + plan.pareto.length);
    // The best is the first of the top list; every top row meets the SLA; exactly one row per table is the chosen one.
    expect(topRows[0].startsWith('>*')).toBe(true);
    expect(topRows.every(row => row[1] === '*')).toBe(true);
    expect(paretoRows.filter(row => row.startsWith('>')).length).toBeLessThanOrEqual(1);
    paretoRows.forEach((row, i) => expect(row[1] === '*').toBe(plan.pareto[i].meetsSla));
    // Numbers are right-aligned under their headers.
    const gpusEnd = lines[topAt + 1].indexOf('GPUs') + 'GPUs'.length;
    for (const [i, row] of topRows.entries()) expect(row.slice(0, gpusEnd).trimEnd().endsWith(` ${plan.top[i].gpus}`)).toBe(true);
  });

  test('toText: a title, a request rate and a best-effort plan', () => {
    const effort = SlaOptimizer.plan({ model: QWEN8, gpu: GpuProfile.H100_SXM, workload: { requestRate: 5 }, sla: { itlMs: 1 }, bestEffort: true });
    const text = effort.toText({ title: 'SLA plan of DynamoGraphDeployment qwen' });
    expect(text).toMatch(/^SLA plan of DynamoGraphDeployment qwen: Qwen\/Qwen3-8B on h100-sxm, sized for 5 req\/s\n/);
    expect(text).toContain(`\nclosest:    ${effort.summary()} (misses the SLA: best effort)\n`);
    expect(text).toContain('Best configuration per parallel layout (> chosen, * meets the SLA):\n  (none meets the SLA)\n');
    const bounded = SlaOptimizer.plan({
      model: QWEN8, gpu: GpuProfile.H100_SXM, workload: { requestRate: 5, maxSequenceLength: 8192 }, hardware: { totalGpus: 8 },
    });
    expect(bounded.toText()).toMatch(/^SLA plan: .*, sized for 5 req\/s within 8 GPUs\n.*\(requests up to 8192 tokens\)\n/);
  });

  test('queueing assumptions: named in the text and JSON; burstier traffic or varied prompts never raise throughput', () => {
    const run = (queueing: QueueingAssumptions, ttftMs = 100) => SlaOptimizer.plan({
      model: QWEN8, gpu: GpuProfile.H100_SXM, hardware: { totalGpus: 4 }, workload: { inputSequenceLength: 1024 }, sla: { ttftMs }, queueing,
    });
    const burstiness = { arrivalVariability: 4, serviceVariability: 0.5 };
    const bursty = run(burstiness);
    expect(bursty.toText()).toContain('\nqueueing:   G/G/1 Kingman (arrival ca2 4, prompt cs2 0.5); prefill workers <= 90 % busy');
    expect(run({ serviceVariability: 1 }).toText()).toContain('\nqueueing:   M/G/1 (Poisson arrivals, prompt cs2 1);');
    expect(bursty.toJson().request.queueing).toEqual(expect.objectContaining(burstiness));
    // Same load, more waiting: a longer TTFT where the target leaves room for it ...
    expect(bursty.best.tokensPerSecondPerGpu).toBeLessThanOrEqual(plan.best.tokensPerSecondPerGpu);
    expect(bursty.best.ttftMs).toBeGreaterThan(plan.best.ttftMs);
    expect(bursty.best.ttftMs).toBeLessThanOrEqual(100);
    // ... and less throughput where it does not (the workers must run less loaded).
    expect(run(burstiness, 60).best.tokensPerSecondPerGpu).toBeLessThan(run({}, 60).best.tokensPerSecondPerGpu);
    // Tighter caps never help either.
    const capped = run({ maxPrefillUtilisation: 0.5, maxAggregatedLoad: 0.5, decodeOccupancy: 0.8 });
    expect(capped.best.tokensPerSecondPerGpu).toBeLessThan(plan.best.tokensPerSecondPerGpu);
  });

  test('queueing assumptions: bad values name the prop, the value and what is allowed', () => {
    const bad = (queueing: QueueingAssumptions) => () =>
      SlaOptimizer.plan({ model: QWEN8, gpu: GpuProfile.H100_SXM, hardware: { totalGpus: 4 }, queueing });
    expect(bad({ arrivalVariability: -1 }))
      .toThrow(/\[SlaOptimizer.plan\] 'queueing.arrivalVariability' is -1: .*allowed: a squared coefficient of variation from 0 to 100/);
    expect(bad({ maxPrefillUtilisation: 1.5 })).toThrow(/'queueing.maxPrefillUtilisation' is 1.5.*allowed: a share above 0 and at most 1/);
    expect(bad({ decodeOccupancy: 0 })).toThrow(/'queueing.decodeOccupancy' is 0/);
  });

  test('toText and toJson are deterministic', () => {
    const again = SlaOptimizer.plan({ model: QWEN8, gpu: GpuProfile.H100_SXM, hardware: { totalGpus: 4 }, workload: { inputSequenceLength: 1024 } });
    expect(again.toText()).toBe(plan.toText());
    expect(JSON.stringify(again.toJson())).toBe(JSON.stringify(plan.toJson()));
  });
});
