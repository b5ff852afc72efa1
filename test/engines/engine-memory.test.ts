import { Backend } from '../../src/engines/backend';
import { EngineMemory } from '../../src/engines/engine-memory';

const GIB = 1024 ** 3;

describe('EngineMemory.defaultFraction', () => {
  test('vLLM and TRT-LLM default to 0.9', () => {
    expect(EngineMemory.defaultFraction(Backend.VLLM)).toBe(0.9);
    expect(EngineMemory.defaultFraction(Backend.TRTLLM, 8)).toBe(0.9);
  });
  test('SGLang lowers its default as TP grows', () => {
    expect([1, 2, 4, 8, 16].map(tp => EngineMemory.defaultFraction(Backend.SGLANG, tp))).toEqual([0.88, 0.87, 0.85, 0.81, 0.79]);
  });
});

describe('EngineMemory.kvCacheBudgetBytes', () => {
  const base = { gpuMemoryBytes: 80 * GIB, weightBytesPerGpu: 16 * GIB, runtimeReserveBytes: 4 * GIB };
  test('vLLM: share of total minus weights and activations', () => {
    expect(EngineMemory.kvCacheBudgetBytes({ backend: Backend.VLLM, ...base })).toBe(Math.floor(80 * GIB * 0.9 - 20 * GIB));
  });
  test('SGLang: static share of total minus weights', () => {
    expect(EngineMemory.kvCacheBudgetBytes({ backend: Backend.SGLANG, ...base })).toBe(Math.floor(80 * GIB * 0.88 - 16 * GIB));
  });
  test('TRT-LLM: share of what is free after weights and activations', () => {
    expect(EngineMemory.kvCacheBudgetBytes({ backend: Backend.TRTLLM, ...base })).toBe(Math.floor(60 * GIB * 0.9));
  });
  test('an explicit fraction wins, and the budget never goes negative', () => {
    expect(EngineMemory.kvCacheBudgetBytes({ backend: Backend.VLLM, ...base, fraction: 0.5 })).toBe(20 * GIB);
    expect(EngineMemory.kvCacheBudgetBytes({ backend: Backend.VLLM, gpuMemoryBytes: 24 * GIB, weightBytesPerGpu: 30 * GIB })).toBe(0);
  });
});
