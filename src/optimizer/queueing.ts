/**
 * Queueing at the planned load. Prefill work is served one request (or batch) at a time per worker, so arrivals
 * queue in front of it; a deterministic-service single-server queue with Poisson arrivals (M/D/1) gives the mean
 * wait ρ·s / (2(1−ρ)) at utilisation ρ and service time s.
 * @internal
 */
export class Queueing {
  /** Mean wait in queue, same unit as `serviceMs`. */
  public static waitMs(utilisation: number, serviceMs: number): number {
    if (utilisation <= 0) return 0;
    if (utilisation >= 1) return Number.POSITIVE_INFINITY;
    return utilisation * serviceMs / (2 * (1 - utilisation));
  }

  /**
   * Highest utilisation at which `idleMs` (the latency with an empty queue) plus the wait for a server whose work
   * per request is `serviceMs` stays within `budgetMs` (never above `cap`); 0 when even an idle server misses it.
   * From ρ·s / (2(1−ρ)) ≤ slack: ρ ≤ 2·slack / (s + 2·slack).
   */
  public static maxUtilisation(idleMs: number, serviceMs: number, budgetMs: number, cap: number): number {
    const slack = budgetMs - idleMs;
    if (slack < 0) return 0;
    return Math.min(cap, (2 * slack) / (serviceMs + 2 * slack));
  }
}
