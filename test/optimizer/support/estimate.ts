import { Backend, EstimateMode, EstimateRequest, GpuProfile, ModelArchitecture, SlaOptimizer } from '../../../src';

/**
 * `SlaOptimizer.estimate` for a catalog model and GPU: one vLLM engine at TP 1, batch 1, 1024 tokens in and out,
 * in `mode` unless `extra` says otherwise.
 */
export function estimator(mode: EstimateMode) {
  return (model: string, gpu: string, extra: Partial<EstimateRequest>) => SlaOptimizer.estimate({
    model: ModelArchitecture.of(model),
    gpu: GpuProfile.of(gpu),
    backend: Backend.VLLM,
    tensorParallel: 1,
    batchSize: 1,
    mode,
    inputSequenceLength: 1024,
    outputSequenceLength: 1024,
    ...extra,
  });
}
