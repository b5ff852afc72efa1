import { IConstruct } from 'constructs';

/**
 * The library's validation error: it names the construct path, the prop, the value and what is allowed, so a failing
 * synth points at the exact line of the user's program. The parts stay readable (`path`, `prop`, `value`, `allowed`,
 * `why`) so that callers such as the CLI can say the same thing in their own words (a flag instead of a prop).
 * @internal
 */
export class PropError extends Error {
  /** `[path] 'prop' is value: why. allowed: what` (the reason only when given). */
  public static invalid(scope: IConstruct | string, prop: string, value: unknown, allowed: string, why?: string): PropError {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    return new PropError(path, prop, value, allowed, why);
  }

  /** Throws `invalid(...)` unless `ok`. */
  public static check(ok: boolean, scope: IConstruct | string, prop: string, value: unknown, allowed: string, why?: string): void {
    if (!ok) throw PropError.invalid(scope, prop, value, allowed, why);
  }

  /** A whole number in [min, max]. */
  public static integer(scope: IConstruct | string, prop: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (value === undefined) return;
    const allowed = max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
    PropError.check(Number.isInteger(value) && value >= min && value <= max, scope, prop, value, allowed);
  }

  /** Renders a value for an error message as the user wrote it: NaN as NaN, Infinity as Infinity, strings quoted. */
  public static show(value: unknown): string {
    if (typeof value === 'string') return `'${value}'`;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    if (value === undefined) return 'undefined';
    if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
    if (typeof value === 'symbol') return value.toString();
    const marks = new Map<string, string>();
    try {
      const json = JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'number' && !Number.isFinite(v)) {
          const mark = `@@cdk8s-dynamo-number-${marks.size}@@`;
          marks.set(mark, String(v));
          return mark;
        }
        if (typeof v === 'bigint') return `${v}n`;
        return v;
      });
      if (json === undefined) return String(value);
      return json.replace(/"@@cdk8s-dynamo-number-\d+@@"/g, m => marks.get(m.slice(1, -1)) ?? m);
    } catch {
      return '<a structure with a reference cycle>';
    }
  }

  /**
   * A construct validation (`node.addValidation`) that may also throw: the messages `check` returns, or the message of
   * the PropError it throws.
   */
  public static messages(check: () => string[] | unknown): string[] {
    try {
      const found = check();
      return Array.isArray(found) ? found : [];
    } catch (e) {
      if (e instanceof PropError) return [e.message];
      throw e;
    }
  }

  /** The same error at another scope (`fromSla` reports the optimizer's errors at the graph's path). */
  public static rescope(e: PropError, scope: IConstruct | string): PropError {
    return PropError.invalid(scope, e.prop, e.value, e.allowed, e.why);
  }

  private constructor(
    /** Construct path or factory (`SlaOptimizer.plan`). */
    public readonly path: string,
    /** The prop, as the caller spells it (`workload.inputSequenceLength`, `env.HF_TOKEN`). */
    public readonly prop: string,
    /** The value as given. */
    public readonly value: unknown,
    /** What is allowed. */
    public readonly allowed: string,
    /** Why the value is refused, when the allowed values alone do not say it. */
    public readonly why?: string,
  ) {
    super(`[${path}] '${prop}' is ${PropError.show(value)}:${why ? ` ${why}.` : ''} allowed: ${allowed}`);
    this.name = 'PropError';
  }
}
