import { describe, expect, it } from 'vitest';
import { parseDelayKey } from './delay-key';

describe('parseDelayKey', () => {
  it.each([
    ['P3D', 259_200_000],
    ['PT30S', 30_000],
    ['30000', 30_000],
    ['1', 1],
  ])('reads %s as %i ms', (key, ms) => {
    expect(parseDelayKey(key)).toEqual({ ms });
  });

  it.each([
    // XState would take these for named delays, find none, and fire at once: refused.
    ['threeDays', /unknown delay "threeDays"/],
    ['3 days', /unknown delay "3 days"/],
    ['-5', /unknown delay "-5"/],
    ['1.5', /unknown delay "1.5"/],
    ['P1M', /months and years/],
    ['0', /zero/],
    ['PT0S', /zero/],
    ['99999999999999999999', /too long/],
  ])('refuses %s', (key, reason) => {
    expect(parseDelayKey(key)).toEqual({ error: expect.stringMatching(reason) });
  });
});
