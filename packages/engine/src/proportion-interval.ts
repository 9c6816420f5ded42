// Confidence intervals for conversion rates and for the uplift of a journey over its holdout. Standard
// methods, as recommended by Newcombe (1998): Wilson's score interval for one proportion ("Two-sided
// confidence intervals for the single proportion: comparison of seven methods", Statistics in Medicine
// 17, 857–872, method 3), and for the difference of two independent proportions the hybrid score
// interval built from the two Wilson intervals ("Interval estimation for the difference between
// independent proportions: comparison of eleven methods", Statistics in Medicine 17, 873–890, method 10).
// Both behave well at small counts and at rates near 0 or 1, where the textbook Wald interval does not.

/** The two-sided 95 % quantile of the standard normal distribution, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/** A proportion's estimate and its interval, each a number in [0, 1]. */
export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** Pure. Wilson's score interval for `successes` out of `trials` (no continuity correction); null for 0 trials. */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // at 0 and n successes the bounds are exactly 0 and 1; rounding must not move them past
  return {
    estimate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Pure. Newcombe's hybrid score interval for p1 − p2, the difference of two independent proportions
 * (`x1` of `n1` against `x2` of `n2`): the estimate and its interval, each in [−1, 1]; null when a group
 * has no trials.
 */
export function differenceInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = Z_95,
): Interval | null {
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  if (a === null || b === null) return null;
  const estimate = a.estimate - b.estimate;
  return {
    estimate,
    low: Math.max(-1, estimate - Math.hypot(a.estimate - a.low, b.high - b.estimate)),
    high: Math.min(1, estimate + Math.hypot(a.high - a.estimate, b.estimate - b.low)),
  };
}
