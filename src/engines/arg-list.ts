/**
 * Builds an exec-form argv: optional values are skipped rather than rendered as `undefined`.
 * @internal
 */
export class ArgList {
  private readonly items: string[] = [];

  /** `--name value`, skipped when the value is undefined. */
  public opt(name: string, value: string | number | undefined): this {
    if (value !== undefined) this.items.push(name, String(value));
    return this;
  }

  /** `--name` when `on`. */
  public flag(name: string, on = true): this {
    if (on) this.items.push(name);
    return this;
  }

  public toArray(): string[] {
    return [...this.items];
  }
}
