import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differenceInterval, wilsonInterval } from './proportion-interval';

const four = (interval: { low: number; high: number } | null) =>
  interval === null ? null : [Number(interval.low.toFixed(4)), Number(interval.high.toFixed(4))];

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it.each([
    [81, 263, [0.2553, 0.3662]],
    [15, 148, [0.0624, 0.1605]],
    [0, 20, [0, 0.1611]],
    [1, 29, [0.0061, 0.1718]],
  ])('%i of %i: the published interval', (x, n, expected) => {
    expect(four(wilsonInterval(x, n))).toEqual(expected);
  });

  it('has no interval without trials, and always holds its estimate inside [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (n, k) => {
        const x = k % (n + 1);
        const interval = wilsonInterval(x, n)!;
        expect(interval.low).toBeGreaterThanOrEqual(0);
        expect(interval.high).toBeLessThanOrEqual(1);
        expect(interval.low).toBeLessThanOrEqual(interval.estimate);
        expect(interval.high).toBeGreaterThanOrEqual(interval.estimate);
      }),
    );
  });
});

describe('differenceInterval', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions", Table II,
  // method 10 (the hybrid score interval).
  it.each([
    [56, 70, 48, 80, [0.0524, 0.3339]],
    [9, 10, 3, 10, [0.1705, 0.809]],
    [0, 10, 0, 20, [-0.1611, 0.2775]],
    [0, 10, 0, 10, [-0.2775, 0.2775]],
  ])('%i/%i − %i/%i: the published interval', (x1, n1, x2, n2, expected) => {
    expect(four(differenceInterval(x1, n1, x2, n2))).toEqual(expected);
  });

  it('is null when a group is empty, and turns around when the groups do', () => {
    expect(differenceInterval(1, 10, 0, 0)).toBeNull();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.nat(),
        fc.nat(),
        (n1, n2, a, b) => {
          const x1 = a % (n1 + 1);
          const x2 = b % (n2 + 1);
          const d = differenceInterval(x1, n1, x2, n2)!;
          const back = differenceInterval(x2, n2, x1, n1)!;
          expect(d.low).toBeGreaterThanOrEqual(-1);
          expect(d.high).toBeLessThanOrEqual(1);
          expect(d.low).toBeLessThanOrEqual(d.estimate);
          expect(d.high).toBeGreaterThanOrEqual(d.estimate);
          expect(back.low).toBeCloseTo(-d.high, 12);
          expect(back.high).toBeCloseTo(-d.low, 12);
        },
      ),
    );
  });
});
