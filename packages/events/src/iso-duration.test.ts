import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDuration, ISO_DURATION_PATTERN, parseIsoDuration } from './iso-duration';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseIsoDuration', () => {
  it.each([
    ['PT30S', 30 * SECOND],
    ['PT0.5S', 500],
    ['PT1,25S', 1_250],
    ['PT90M', 90 * MINUTE],
    ['PT2H', 2 * HOUR],
    ['PT1H30M', HOUR + 30 * MINUTE],
    ['P3D', 3 * DAY],
    ['P90D', 90 * DAY],
    ['P2W', 14 * DAY],
    ['P1W2D', 9 * DAY],
    ['P1DT12H', DAY + 12 * HOUR],
    ['P1DT2H3M4S', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    ['PT0S', 0],
    ['P0D', 0],
    ['PT12H', 12 * HOUR],
    ['P1DT1H1M1S', DAY + HOUR + MINUTE + SECOND],
    ['PT0.500S', 500],
    ['PT1.2500S', 1_250],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseIsoDuration(text)).toEqual({ ms });
  });

  it.each([
    ['P1M', /months and years have no fixed length/],
    ['P1Y2D', /months and years have no fixed length/],
    ['P', /not an ISO 8601 duration/],
    ['PT', /not an ISO 8601 duration/],
    ['P1DT', /not an ISO 8601 duration/],
    ['3D', /not an ISO 8601 duration/],
    ['p3d', /not an ISO 8601 duration/],
    ['P-3D', /not an ISO 8601 duration/],
    ['PT1.5H', /not an ISO 8601 duration/],
    ['P3D ', /not an ISO 8601 duration/],
    ['P2D1W', /not an ISO 8601 duration/],
    ['PT0.0001S', /finer than a millisecond/],
    ['', /not an ISO 8601 duration/],
    ['12h', /not an ISO 8601 duration/],
    ['pt12h', /not an ISO 8601 duration/],
    [`P${'9'.repeat(20)}D`, /too long/],
  ])('refuses %s', (text, reason) => {
    const parsed = parseIsoDuration(text);
    expect(parsed).toEqual({ error: expect.stringMatching(reason) });
  });
});

// Journeys and the policy file once had a reader each; these are the texts on which the two disagreed. One
// reader now answers for both, accepting what either accepted to the millisecond.
describe('parseIsoDuration, where the journey and the policy readers used to differ', () => {
  it.each([
    ['P1W2D', 9 * DAY], // weeks with days: the policy's reader refused it
    ['P2W1DT1H', 15 * DAY + HOUR], // likewise
    ['PT1.5000S', 1_500], // more than three decimals, all of them milliseconds: the journeys' reader refused it
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseIsoDuration(text)).toEqual({ ms });
  });

  it.each([
    ['PT0.0001S', /finer than a millisecond/], // the policy's reader rounded it to 0 ms
    [`PT${'9'.repeat(20)}S`, /too long/], // the policy's reader gave an unsafe integer
    ['P1M', /months and years have no fixed length/], // both refused it, with different words
  ])('refuses %s', (text, reason) => {
    expect(parseIsoDuration(text)).toEqual({ error: expect.stringMatching(reason) });
  });
});

describe('formatIsoDuration', () => {
  it.each([
    [0, 'PT0S'],
    [500, 'PT0.5S'],
    [1_250, 'PT1.25S'],
    [30 * SECOND, 'PT30S'],
    [90 * MINUTE, 'PT1H30M'],
    [3 * DAY, 'P3D'],
    [DAY + 12 * HOUR, 'P1DT12H'],
    [14 * DAY + 1, 'P14DT0.001S'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatIsoDuration(ms)).toBe(text);
  });

  it.each([-1, 0.5, Number.NaN])('refuses %d ms', (ms) => {
    expect(() => formatIsoDuration(ms)).toThrow(/whole, non-negative/);
  });

  it('round-trips: formatting then parsing gives back every duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (ms) => {
        expect(parseIsoDuration(formatIsoDuration(ms))).toEqual({ ms });
      }),
    );
  });

  it('round-trips: parsing then formatting then parsing gives the same milliseconds for every valid text', () => {
    const digits = fc.integer({ min: 0, max: 10_000 });
    const part = (unit: string) =>
      fc.option(
        digits.map((n) => `${n}${unit}`),
        { nil: '' },
      );
    const fraction = fc.option(fc.stringMatching(/^[.,]\d{1,3}$/), { nil: '' });
    const text = fc
      .tuple(part('W'), part('D'), part('H'), part('M'), fc.option(digits, { nil: undefined }), fraction)
      .map(([w, d, h, m, s, f]) => {
        const time = `${h}${m}${s === undefined ? '' : `${s}${f}S`}`;
        return `P${w}${d}${time === '' ? '' : `T${time}`}`;
      })
      .filter((t) => t !== 'P');
    fc.assert(
      fc.property(text, (t) => {
        const parsed = parseIsoDuration(t);
        if (!('ms' in parsed)) throw new Error(`not parsed: ${parsed.error}`);
        expect(parseIsoDuration(formatIsoDuration(parsed.ms))).toEqual(parsed);
      }),
    );
  });

  it('is canonical: a parsed duration formats to one text whatever units it was written in', () => {
    const part = fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, part, (weeks, days, hours, minutes, seconds) => {
        const date = `${weeks === undefined ? '' : `${weeks}W`}${days === undefined ? '' : `${days}D`}`;
        const time = [
          [hours, 'H'],
          [minutes, 'M'],
          [seconds, 'S'],
        ]
          .map(([value, unit]) => (value === undefined ? '' : `${value}${unit}`))
          .join('');
        fc.pre(date !== '' || time !== '');
        const parsed = parseIsoDuration(`P${date}${time === '' ? '' : `T${time}`}`);
        if (!('ms' in parsed)) throw new Error(`not parsed: ${parsed.error}`);
        const canonical = formatIsoDuration(parsed.ms);
        expect(formatIsoDuration(ms(parseIsoDuration(canonical)))).toBe(canonical);
        expect(ms(parseIsoDuration(canonical))).toBe(
          ((weeks ?? 0) * 7 + (days ?? 0)) * DAY +
            (hours ?? 0) * HOUR +
            (minutes ?? 0) * MINUTE +
            (seconds ?? 0) * SECOND,
        );
      }),
    );
  });
});

function ms(parsed: ReturnType<typeof parseIsoDuration>): number {
  if (!('ms' in parsed)) throw new Error(parsed.error);
  return parsed.ms;
}

describe('ISO_DURATION_PATTERN', () => {
  const pattern = new RegExp(ISO_DURATION_PATTERN);

  it('matches every text the parser accepts, and a refused one only for what a pattern cannot judge', () => {
    const text = fc.oneof(
      fc.stringMatching(/^P(\d{1,3}[WD]){0,2}(T(\d{1,3}[HMS]){0,3}([.,]\d{1,5})?S?)?$/),
      fc.string({
        unit: fc.constantFrom('P', 'T', 'W', 'D', 'H', 'M', 'S', 'Y', '1', '0', '.', ',', '-', ' '),
      }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const parsed = parseIsoDuration(t);
        if ('ms' in parsed) expect(pattern.test(t)).toBe(true);
        else if (pattern.test(t)) expect(parsed.error).toMatch(/finer than a millisecond|too long/);
      }),
    );
  });
});
