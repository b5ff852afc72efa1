/**
 * Waiting at the planned load. Prefill work is served one request (or batch) at a time per worker, so arrivals queue
 * in front of it. The mean wait is Kingman's G/G/1 approximation ρ/(1−ρ) · (ca² + cs²)/2 · s at utilisation ρ and mean
 * service time s, where ca² and cs² are the squared coefficients of variation of inter-arrival and service times. For
 * Poisson arrivals (ca² = 1) it is exact (Pollaczek-Khinchine, M/G/1); with equal prompts (cs² = 0) it is M/D/1,
 * ρ·s / (2(1−ρ)).
 * @internal
 */
export class Queueing {
  /** Poisson arrivals, deterministic service. */
  public static readonly MD1 = new Queueing(1, 0);

  /** (ca² + cs²) / 2: how much waiting the variability causes relative to M/M/1's ρ/(1−ρ)·s. */
  private readonly variability: number;

  constructor(arrivalVariability: number, serviceVariability: number) {
    this.variability = (arrivalVariability + serviceVariability) / 2;
  }

  /** Mean wait in queue, same unit as `serviceMs`. */
  public waitMs(utilisation: number, serviceMs: number): number {
    if (utilisation <= 0) return 0;
    if (utilisation >= 1) return Number.POSITIVE_INFINITY;
    return utilisation / (1 - utilisation) * this.variability * serviceMs;
  }

  /**
   * Highest utilisation at which `idleMs` (the latency with an empty queue) plus the wait for a server whose work
   * per request is `serviceMs` stays within `budgetMs` (never above `cap`); 0 when even an idle server misses it.
   * From ρ/(1−ρ)·V·s ≤ slack: ρ ≤ slack / (V·s + slack).
   */
  public maxUtilisation(idleMs: number, serviceMs: number, budgetMs: number, cap: number): number {
    const slack = budgetMs - idleMs;
    if (slack < 0) return 0;
    if (slack === 0) return this.variability === 0 ? cap : 0;
    return Math.min(cap, slack / (this.variability * serviceMs + slack));
  }
}
