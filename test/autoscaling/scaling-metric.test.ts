import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Backend, ScalingMetric } from '../../src';

const scope = () => Testing.chart();
const M = 'namespace="llm",dynamo_graph_deployment="g",dynamo_graph_component="c"';

describe('ScalingMetric', () => {
  test('queued requests read the engine queue gauge of each backend, summed per pool', () => {
    const vllm = ScalingMetric.queuedRequests(5)._resolve(scope(), 'metrics[0]', Backend.VLLM);
    expect(vllm.expr!(M)).toBe(`sum(vllm:num_requests_waiting{${M}})`);
    expect(vllm).toMatchObject({ source: 'engine', perReplica: true, target: 5, series: 'vllm:num_requests_waiting', name: 'dynamo_autoscaling_vllm_queued_requests' });
    const sglang = ScalingMetric.queuedRequests(5)._resolve(scope(), 'metrics[0]', Backend.SGLANG);
    expect(sglang.expr!(M)).toBe(`sum(sglang:num_queue_reqs{${M}})`);
  });

  test('KV cache usage uses the current vLLM name, never gpu_cache_usage_perc', () => {
    const expected: Record<string, string> = {
      vllm: 'vllm:kv_cache_usage_perc', sglang: 'sglang:token_usage', trtllm: 'trtllm_kv_cache_utilization',
    };
    for (const backend of Object.values(Backend)) {
      const m = ScalingMetric.kvCacheUsage(80)._resolve(scope(), 'metrics[0]', backend);
      expect(m.expr!(M)).toBe(`avg(${expected[backend]}{${M}})`);
      expect(m.expr!(M)).not.toContain('gpu_cache_usage_perc');
      expect(m).toMatchObject({ perReplica: false, target: 0.8 });
    }
  });

  test('latency percentiles come from the frontend histograms, in seconds, NaN-safe', () => {
    const ttft = ScalingMetric.ttft(300)._resolve(scope(), 'm', undefined);
    expect(ttft.expr!('x="y"')).toBe('(histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{x="y"}[1m]))) >= 0) or vector(0)');
    expect(ttft).toMatchObject({ source: 'frontend', perReplica: false, target: 0.3, name: 'dynamo_autoscaling_ttft_p95_seconds' });
    const itl = ScalingMetric.itl(25, 99.9)._resolve(scope(), 'm', undefined);
    expect(itl.expr!('x="y"')).toContain('histogram_quantile(0.999, sum by (le) (rate(dynamo_frontend_inter_token_latency_seconds_bucket');
    expect(itl.name).toBe('dynamo_autoscaling_itl_p99_9_seconds');
  });

  test('frontend counters and gauges', () => {
    expect(ScalingMetric.activeRequests(8)._resolve(scope(), 'm', undefined).expr!('a="b"')).toBe('sum(dynamo_frontend_active_requests{a="b"})');
    expect(ScalingMetric.dispatchQueue(2)._resolve(scope(), 'm', undefined).expr!('a="b"')).toBe('sum(dynamo_frontend_stage_requests{a="b",stage="dispatch"})');
    expect(ScalingMetric.requestRate(3)._resolve(scope(), 'm', undefined).expr!('a="b"')).toBe('sum(rate(dynamo_frontend_requests_total{a="b"}[1m]))');
  });

  test('TRT-LLM has no queue gauge: a clear error naming the metric and the alternatives', () => {
    expect(() => ScalingMetric.queuedRequests(5)._resolve(scope(), 'metrics[1]', Backend.TRTLLM))
      .toThrow(/'metrics\[1\]' is 'queuedRequests': trtllm exports no gauge for it\. allowed: .*works with vllm, sglang.*kvCacheUsage/);
  });

  test('engine metrics need the backend', () => {
    expect(() => ScalingMetric.kvCacheUsage(80)._resolve(scope(), 'metrics[0]', undefined)).toThrow(/'backend' is undefined: kvCacheUsage reads engine metrics/);
  });

  test('bad targets name the prop and the allowed range', () => {
    expect(() => ScalingMetric.kvCacheUsage(120)._resolve(scope(), 'metrics[0]', Backend.VLLM)).toThrow(/'metrics\[0\]' is 120:.*allowed: a percentage in \(0, 100\]/);
    expect(() => ScalingMetric.ttft(200, 100)._resolve(scope(), 'metrics[0]', undefined)).toThrow(/'metrics\[0\]\.percentile' is 100/);
    expect(() => ScalingMetric.cpuUtilization(70.5)._resolve(scope(), 'metrics[0]', undefined)).toThrow(/a whole percentage/);
    expect(() => ScalingMetric.custom({ name: 'bad-name', target: 1 })._resolve(scope(), 'metrics[0]', undefined)).toThrow(/'metrics\[0\]\.name' is 'bad-name'/);
  });

  test('any positive finite target resolves; anything else is refused', () => {
    fc.assert(fc.property(fc.double({ noNaN: false }), (target) => {
      const resolve = () => ScalingMetric.activeRequests(target)._resolve(scope(), 'm', undefined);
      if (Number.isFinite(target) && target > 0) expect(resolve().target).toBe(target);
      else expect(resolve).toThrow(/'m' is .*allowed: a positive number/);
    }), { numRuns: 50 });
  });
});
