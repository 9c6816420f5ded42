import { describe, expect, it } from 'vitest';
import { retryDelay } from './retry';

describe('retryDelay', () => {
  const options = { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 };
  it('doubles from the initial time up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(options, a, () => 0.5))).toEqual([100, 200, 400, 800, 1000]);
  });
  it('spreads each wait by the multiplier', () => {
    expect(retryDelay(options, 1, () => 0)).toBe(80);
    expect(retryDelay(options, 1, () => 1)).toBe(120);
    expect(retryDelay({ ...options, multiplier: 0 }, 2, () => 1)).toBe(200);
  });
});
