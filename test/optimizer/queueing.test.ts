import * as fc from 'fast-check';
import { Queueing } from '../../src/optimizer/search/queueing';

describe('Queueing (Kingman G/G/1; M/D/1 by default)', () => {
  test('M/D/1 and M/M/1 mean waits', () => {
    // M/D/1: rho s / (2 (1 - rho)); at 80 % and 10 ms: 20 ms. M/M/1 (exponential prompts): twice that.
    expect(Queueing.MD1.waitMs(0.8, 10)).toBeCloseTo(20, 9);
    expect(new Queueing(1, 1).waitMs(0.8, 10)).toBeCloseTo(40, 9);
    expect(new Queueing(0, 0).waitMs(0.8, 10)).toBe(0);
    expect(Queueing.MD1.waitMs(0, 10)).toBe(0);
    expect(Queueing.MD1.waitMs(1, 10)).toBe(Number.POSITIVE_INFINITY);
  });

  test('property: at the highest utilisation the idle latency plus the wait meets the budget exactly (or the cap binds)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 8, noNaN: true }), fc.double({ min: 0, max: 8, noNaN: true }),
      fc.double({ min: 0.1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0.1, max: 1000, noNaN: true }),
      (ca2, cs2, service, idle, budget) => {
        const q = new Queueing(ca2, cs2);
        const rho = q.maxUtilisation(idle, service, budget, 0.9);
        if (idle > budget) return expect(rho).toBe(0);
        expect(rho).toBeLessThanOrEqual(0.9);
        const total = idle + q.waitMs(rho, service);
        expect(total).toBeLessThanOrEqual(budget * (1 + 1e-9) + 1e-9);
        if (rho < 0.9 && budget > idle) expect(total).toBeCloseTo(budget, 6);
      }), { numRuns: 300, seed: 11 });
  });

  test('more variability never waits less', () => {
    for (const rho of [0.1, 0.5, 0.9]) {
      expect(new Queueing(4, 0).waitMs(rho, 5)).toBeGreaterThan(Queueing.MD1.waitMs(rho, 5));
      expect(new Queueing(1, 0.5).waitMs(rho, 5)).toBeGreaterThan(Queueing.MD1.waitMs(rho, 5));
    }
  });
});
