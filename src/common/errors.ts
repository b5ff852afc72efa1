import { IConstruct } from 'constructs';

/**
 * Builds the library's validation errors: they name the construct path, the prop, the value and what is allowed,
 * so a failing synth points at the exact line of the user's program.
 * @internal
 */
export class PropError {
  /** `[path] 'prop' is value: why. allowed: what` (the reason only when given). */
  public static invalid(scope: IConstruct | string, prop: string, value: unknown, allowed: string, why?: string): Error {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    const shown = PropError.show(value);
    const reason = why ? ` ${why}.` : '';
    return new Error(`[${path}] '${prop}' is ${shown}:${reason} allowed: ${allowed}`);
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

  /** Renders a value for an error message. */
  public static show(value: unknown): string {
    if (typeof value === 'string') return `'${value}'`;
    if (value === undefined) return 'undefined';
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
}
