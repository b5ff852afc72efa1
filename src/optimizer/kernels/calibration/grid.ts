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
      out += EfficiencyGrid.ALPHABET[Math.floor(q / 64)] + EfficiencyGrid.ALPHABET[q % 64];
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

  private readonly lower: number[];
  private readonly frac: number[];

  private constructor(private readonly axes: number[][], private readonly values: Float64Array) {
    this.lower = axes.map(() => 0);
    this.frac = axes.map(() => 0);
  }

  /** Efficiency in (0, 1] at a point (hot path of the search: no allocation). */
  public efficiency(point: number[]): number {
    const dims = this.axes.length;
    const lower = this.lower;
    const frac = this.frac;
    for (let a = 0; a < dims; a++) {
      const [i, f] = EfficiencyGrid.bracket(this.axes[a], point[a]);
      lower[a] = i;
      frac[a] = f;
    }
    let v = 0;
    for (let corner = 0; corner < 2 ** dims; corner++) {
      let w = 1;
      let idx = 0;
      for (let a = 0; a < dims; a++) {
        const up = Math.floor(corner / 2 ** a) % 2;
        const f = frac[a];
        if (up && f === 0) { w = 0; break; }
        w *= up ? f : 1 - f;
        idx = idx * this.axes[a].length + lower[a] + up;
      }
      if (w > 0) v += w * this.values[idx];
    }
    return Math.min(1, Math.exp(v));
  }
}
