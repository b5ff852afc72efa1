/**
 * A table of log-efficiencies on a grid whose axes are spaced in log space, interpolated multilinearly in
 * log(axis) and clamped at the edges. Efficiency = speed-of-light time / measured time, so `exp(value)` is in (0, 1].
 * @internal
 */
export class EfficiencyGrid {
  /** Decodes a grid from the compact text the calibration script writes. */
  public static decode(axes: number[][], encoded: string): EfficiencyGrid {
    const size = axes.reduce((n, a) => n * a.length, 1);
    if (encoded.length !== 2 * size) throw new Error(`internal: calibration grid has ${encoded.length / 2} values, expected ${size}`);
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) values[i] = EfficiencyGrid.decodeValue(encoded, 2 * i);
    return new EfficiencyGrid(axes, values);
  }

  /** Encodes log-efficiencies as two base-64 characters each (12 bits over [LOG_MIN, 0]). */
  public static encode(values: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < values.length; i++) {
      const clamped = Math.min(0, Math.max(EfficiencyGrid.LOG_MIN, values[i]));
      const q = Math.round((clamped / EfficiencyGrid.LOG_MIN) * 4095);
      out += EfficiencyGrid.ALPHABET[q >> 6] + EfficiencyGrid.ALPHABET[q & 63];
    }
    return out;
  }

  /** Multilinear interpolation weights of a point: flat cell index and weight per corner. */
  public static corners(axes: number[][], point: number[]): Array<[number, number]> {
    let result: Array<[number, number]> = [[0, 1]];
    for (let a = 0; a < axes.length; a++) {
      const axis = axes[a];
      const stride = axes.slice(a + 1).reduce((n, x) => n * x.length, 1);
      const [i, f] = EfficiencyGrid.bracket(axis, point[a]);
      const next: Array<[number, number]> = [];
      for (const [idx, w] of result) {
        next.push([idx + i * stride, w * (1 - f)]);
        if (f > 0) next.push([idx + (i + 1) * stride, w * f]);
      }
      result = next;
    }
    return result;
  }

  private static readonly LOG_MIN = Math.log(1e-6);
  private static readonly ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  private static decodeValue(s: string, at: number): number {
    const q = EfficiencyGrid.ALPHABET.indexOf(s[at]) * 64 + EfficiencyGrid.ALPHABET.indexOf(s[at + 1]);
    return (q / 4095) * EfficiencyGrid.LOG_MIN;
  }

  /** Lower node index and fraction towards the next node, in log space; clamped to the axis. */
  private static bracket(axis: number[], x: number): [number, number] {
    if (x <= axis[0]) return [0, 0];
    if (x >= axis[axis.length - 1]) return [axis.length - 1, 0];
    let i = 0;
    while (axis[i + 1] < x) i++;
    return [i, Math.log(x / axis[i]) / Math.log(axis[i + 1] / axis[i])];
  }

  private constructor(private readonly axes: number[][], private readonly values: Float64Array) {}

  /** Efficiency in (0, 1] at a point. */
  public efficiency(point: number[]): number {
    let v = 0;
    for (const [idx, w] of EfficiencyGrid.corners(this.axes, point)) v += w * this.values[idx];
    return Math.min(1, Math.exp(v));
  }
}
