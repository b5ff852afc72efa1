import { Quantization } from '../model/precision';

/** vLLM's and SGLang's `--quantization` method per checkpoint precision (BF16 needs none; both engines agree). */
const METHOD: Record<Quantization, string | undefined> = {
  [Quantization.BF16]: undefined,
  [Quantization.FP8]: 'fp8',
  [Quantization.FP8_BLOCK]: 'fp8',
  [Quantization.NVFP4]: 'modelopt_fp4',
  [Quantization.MXFP4]: 'mxfp4',
};

/** Methods hand-written manifests use that the pools never render. */
const ALIASES: { readonly [method: string]: Quantization } = { nvfp4: Quantization.NVFP4 };

/**
 * The `--quantization` flag both ways: the pools render it from a precision, the policy rules read a precision back
 * from rendered (or hand-written) command lines.
 * @internal
 */
export class QuantizationFlags {
  /** The method that loads `q`, or undefined when the checkpoint's own BF16 weights need none. */
  public static method(q: Quantization): string | undefined {
    return METHOD[q];
  }

  /**
   * The precision a `--quantization` value loads, or undefined for a method this table does not know. `fp8` reads
   * as per-tensor FP8: block scaling is a property of the checkpoint, not of the flag, and its scales add
   * under 0.1 % to the weights.
   */
  public static parse(method: string | undefined): Quantization | undefined {
    if (method === undefined) return undefined;
    const known = Object.values(Quantization).find(q => METHOD[q] === method);
    return known ?? (Object.prototype.hasOwnProperty.call(ALIASES, method) ? ALIASES[method] : undefined);
  }

  private constructor() {}
}
