import { describe, expect, it } from 'vitest';
import { parseIsoDuration } from './iso-duration';

const H = 3_600_000;

describe('parseIsoDuration', () => {
  it.each([
    ['PT12H', 12 * H],
    ['PT30S', 30_000],
    ['PT0.5S', 500],
    ['PT1,25S', 1250],
    ['PT90M', 90 * 60_000],
    ['P1D', 24 * H],
    ['P3D', 72 * H],
    ['P1DT6H', 30 * H],
    ['P1DT1H1M1S', 25 * H + 61_000],
    ['P2W', 14 * 24 * H],
    ['PT0S', 0],
    ['P0D', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['', /must start with P/],
    ['12h', /must start with P/],
    ['P', /names no amount/],
    ['PT', /not an ISO 8601 duration/],
    ['P1M', /years or months/],
    ['P1Y2D', /years or months/],
    ['P1W2D', /weeks .* cannot be combined/],
    ['PT1.5H', /not an ISO 8601 duration/],
    ['P-1D', /not an ISO 8601 duration/],
    ['pt12h', /must start with P/],
    ['P1DT', /not an ISO 8601 duration/],
  ])('refuses %j with a reason', (text, reason) => {
    const parsed = parseIsoDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
