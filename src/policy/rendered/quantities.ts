/**
 * Kubernetes quantity arithmetic for the policy rules, which read rendered YAML where sizes are strings.
 * @internal
 */
export class Quantities {
  public static readonly GIB = 1024 ** 3;

  /** Bytes (or plain units) of a quantity such as `8Gi`, `500M`, `1e3`, `100m`; undefined when unparsable. */
  public static parse(value: unknown): number | undefined {
    if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
    if (typeof value !== 'string') return undefined;
    const match = /^\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?\s*$/.exec(value);
    if (!match) return undefined;
    return Number(match[1]) * Quantities.SUFFIX[match[2] ?? ''];
  }

  /** GiB for messages, two decimals at most. */
  public static gib(bytes: number): string {
    return `${Math.round((bytes / Quantities.GIB) * 100) / 100}Gi`;
  }

  private static readonly SUFFIX: { [suffix: string]: number } = {
    '': 1,
    'n': 1e-9,
    'u': 1e-6,
    'm': 1e-3,
    'k': 1e3,
    'M': 1e6,
    'G': 1e9,
    'T': 1e12,
    'P': 1e15,
    'E': 1e18,
    'Ki': 1024,
    'Mi': 1024 ** 2,
    'Gi': 1024 ** 3,
    'Ti': 1024 ** 4,
    'Pi': 1024 ** 5,
    'Ei': 1024 ** 6,
  };
}
