import { QuantizationFlags } from '../../src/engines/quantization-flags';
import { Quantization } from '../../src/model/precision';

describe('QuantizationFlags', () => {
  test('the methods vLLM and SGLang load each precision with; BF16 needs none', () => {
    expect(Object.values(Quantization).map(q => [q, QuantizationFlags.method(q)])).toEqual([
      [Quantization.BF16, undefined],
      [Quantization.FP8, 'fp8'],
      [Quantization.FP8_BLOCK, 'fp8'],
      [Quantization.NVFP4, 'modelopt_fp4'],
      [Quantization.MXFP4, 'mxfp4'],
    ]);
  });

  test('parse reads every rendered method back to a precision of the same weight format', () => {
    for (const q of Object.values(Quantization)) {
      const method = QuantizationFlags.method(q);
      if (method === undefined) continue;
      const back = QuantizationFlags.parse(method)!;
      expect(QuantizationFlags.method(back)).toBe(method);
    }
    expect(QuantizationFlags.parse('fp8')).toBe(Quantization.FP8);
  });

  test('parse accepts the hand-written nvfp4 and nothing it does not know', () => {
    expect(QuantizationFlags.parse('nvfp4')).toBe(Quantization.NVFP4);
    for (const unknown of [undefined, '', 'awq', 'gptq', 'bf16', 'constructor', 'toString']) {
      expect(QuantizationFlags.parse(unknown)).toBeUndefined();
    }
  });
});
