import { Backend, EstimateMode, GpuProfile, ModelArchitecture, ServingMode, SlaOptimizer } from '../../src';
import { estimator } from './support/estimate';
import { KvCacheDtype, Quantization } from '../../src/model/precision';
import { ForwardPass } from '../../src/optimizer/iteration/forward-pass';

// End-to-end predictions against public reference points, each band with its source. method.md gives AIConfigurator's
// formulas but no worked numbers (its README disagg check quotes no figures), so the first block reproduces AIC's
// structure on our own kernel times and the rest pins predictions to published ranges and physical floors. Bands are
// wide on purpose: engine versions move these figures by tens of percent, and measured throughput is typically
// 85-90 % of AIC-style predictions (Dynamo docs).

const estimate = estimator(EstimateMode.AGGREGATED);

describe("AIConfigurator's structure", () => {
  const qwen32 = ModelArchitecture.of('Qwen/Qwen3-32B');
  const pass = (tensorParallel: number) => new ForwardPass(qwen32, GpuProfile.H200_SXM, {
    backend: Backend.VLLM, tensorParallel, pipelineParallel: 1, expertParallel: 1, quantization: Quantization.BF16, kvCacheDtype: KvCacheDtype.BF16,
  });
  const fp = pass(2);

  test.each([[64, 4000, 1000, 8192], [16, 512, 128, 2048], [128, 1024, 1024, 4096]])(
    'aggregated ITL is the mix/decode-only weighted step time (AIC run_agg, vLLM form) at b=%d, ISL %d, OSL %d, C=%d', (b, isl, osl, c) => {
      const cycle = fp.aggregated(b, isl, osl, c);
      // AIC: S = ceil(isl b / C) mixed steps, D - S decode-only steps, TPOT = (mix S + gen (D - S)) / D (S < D).
      // Ours counts fractional mixed steps over OSL - 1 decode iterations: the same average within rounding.
      const mixed = b * isl / Math.min(c, isl * Math.max(1, Math.min(b, Math.ceil(c / isl))));
      const steps = osl - 1;
      expect(mixed).toBeLessThan(steps);
      expect(cycle.itlMs).toBeCloseTo((mixed * cycle.mixedMs + (steps - mixed) * cycle.decodeMs) / steps, 9);
      expect(cycle.itlMs).toBeGreaterThan(cycle.decodeMs);
      expect(cycle.itlMs).toBeLessThan(cycle.mixedMs);
      expect(cycle.capacity).toBeCloseTo(b * 1000 / (cycle.itlMs * steps), 6);
    });

  test('disaggregated row: tokens/s/GPU = req/s x OSL / GPUs; TTFT >= prefill of one prompt; ITL = decode step at the decode batch', () => {
    const plan = SlaOptimizer.plan({
      model: ModelArchitecture.of('Qwen/Qwen3-32B'),
      gpu: GpuProfile.H200_SXM,
      hardware: { totalGpus: 8 },
      modes: [ServingMode.DISAGGREGATED],
      backends: [Backend.VLLM],
    });
    const c = plan.best;
    expect(c.tokensPerSecondPerGpu).toBeCloseTo(c.requestsPerSecond * 128 / c.gpus, 0);
    const d = c.decode!;
    expect(c.itlMs).toBeCloseTo(pass(d.tensorParallel).iterationMs(0, 0, d.batchSize, 512 + 64), 1);
    const p = c.prefill!;
    expect(c.ttftMs).toBeGreaterThanOrEqual(pass(p.tensorParallel).iterationMs(512 * p.batchSize, p.batchSize, 0, 0));
  });
});

describe('vLLM, Llama-3.1-8B BF16 on one H100 SXM, ISL/OSL 1024/1024 (in-flight batching)', () => {
  // Sources: vLLM's published performance updates and NVIDIA NIM benchmark tables for Llama-3.1-8B on one H100
  // (2024-2025): about 120-190 tokens/s for a single stream, roughly 2.5-4k output tokens/s at 32 concurrent requests
  // and 5-9k at 128. Physical floors: 16.1 GB of weights per step (4.8 ms at 3.35 TB/s), plus the batch's KV cache
  // (128 KiB per token): 6.7 ms at 32 x 1.5k tokens, 12.3 ms at 128.
  test.each([
    [1, 4.8, 8.5, 110, 210],
    [32, 6.7, 14, 2200, 4500],
    [128, 12.3, 30, 4300, 10000],
  ])('concurrency %d: ITL within %d-%d ms, output %d-%d tokens/s', (batch, itlLow, itlHigh, tpsLow, tpsHigh) => {
    const e = estimate('meta-llama/Llama-3.1-8B', 'h100_sxm', { batchSize: batch });
    expect(e.fits).toBe(true);
    expect(e.itlMs).toBeGreaterThanOrEqual(itlLow);
    expect(e.itlMs).toBeLessThanOrEqual(itlHigh);
    expect(e.tokensPerSecondPerGpu).toBeGreaterThanOrEqual(tpsLow);
    expect(e.tokensPerSecondPerGpu).toBeLessThanOrEqual(tpsHigh);
  });
});

describe('Llama-3.1-70B BF16 on H100 SXM, TP4 and TP8', () => {
  test.each([Backend.VLLM, Backend.TRTLLM])('%s: single-stream ITL TP4 10.5-25 ms, TP8 5.3-16 ms; TP8 1.2-2x faster than TP4', backend => {
    // Floors: 141 GB of weights / 4 (8) GPUs / 3.35 TB/s = 10.5 (5.3) ms. Published single-stream figures: about
    // 40-80 tokens/s at TP4 and 65-120 at TP8 across vLLM and TRT-LLM versions; TP8 gains less than 2x because the
    // all-reduces and per-kernel floors do not shrink with the shards.
    const tp4 = estimate('meta-llama/Llama-3.1-70B', 'h100_sxm', { backend, tensorParallel: 4, mode: EstimateMode.DECODE }).itlMs;
    const tp8 = estimate('meta-llama/Llama-3.1-70B', 'h100_sxm', { backend, tensorParallel: 8, mode: EstimateMode.DECODE }).itlMs;
    expect(tp4).toBeGreaterThanOrEqual(10.5);
    expect(tp4).toBeLessThanOrEqual(25);
    expect(tp8).toBeGreaterThanOrEqual(5.3);
    expect(tp8).toBeLessThanOrEqual(16);
    expect(tp4 / tp8).toBeGreaterThanOrEqual(1.2);
    expect(tp4 / tp8).toBeLessThanOrEqual(2);
  });

  test('TP8 prefill of a 2048-token prompt within 35-110 ms', () => {
    // Floor: 2 x 70.6 G parameters x 2048 tokens / (8 x 989 TFLOPS) = 37 ms; prefill runs at 40-75 % of peak on
    // Hopper (49-92 ms) plus attention and 160 all-reduces of 2048 x 8192 values.
    const prompt = { mode: EstimateMode.PREFILL, inputSequenceLength: 2048, outputSequenceLength: 1 };
    const ttft = estimate('meta-llama/Llama-3.1-70B', 'h100_sxm', { tensorParallel: 8, ...prompt }).ttftMs;
    expect(ttft).toBeGreaterThanOrEqual(35);
    expect(ttft).toBeLessThanOrEqual(110);
  });
});

describe('DeepSeek-R1 (FP8 block, MLA, 256 experts) on 8 x H200 SXM, SGLang', () => {
  const r1 = (tp: number, ep: number, batch: number) =>
    estimate('deepseek-ai/DeepSeek-R1', 'h200_sxm', { backend: Backend.SGLANG, tensorParallel: tp, expertParallel: ep, batchSize: batch, mode: EstimateMode.DECODE });

  test('large batch: 1.9-7.7k output tokens/s per node (0.5-2x NVIDIA\'s 3,872 tokens/s for one HGX H200)', () => {
    // Source: NVIDIA's DeepSeek-R1 NIM announcement (January 2025), up to 3,872 tokens/s on one 8 x H200 system.
    // Engines have improved since and we predict kernels, not a particular release: a factor of two either way.
    const best = Math.max(...[1, 8].map(ep => r1(8, ep, 256)).map(e => e.tokensPerSecondPerGpu * 8));
    expect(best).toBeGreaterThanOrEqual(1900);
    expect(best).toBeLessThanOrEqual(7700);
  });

  test('single stream: ITL 8-40 ms; every layer pays its kernels even when the experts it reads are few', () => {
    // Upper bound: community single-stream reports for SGLang on 8 x H200 without multi-token prediction, 25-35
    // tokens/s for early 2025 releases. Lower bound: 61 layers of ~20 kernels at their measured launch floors
    // (~130 us per layer) plus the LM head. Known optimism: newer engines run faster than early releases, but our
    // prediction (about 10-13 ms) sits at the fast end: vLLM/SGLang kernels and all-reduces are slower than the
    // TRT-LLM kernels the calibration measures (see docs/optimizer.md).
    for (const ep of [1, 8]) {
      const itl = r1(8, ep, 1).itlMs;
      expect(itl).toBeGreaterThanOrEqual(8);
      expect(itl).toBeLessThanOrEqual(40);
    }
  });
});
