import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endOfQuiet, isQuiet } from './quiet-hours';
import { localDateTime, readWallClock } from './zoned-time';

// The claim: the wall clock read through the cache of offsets is, for every instant and zone, what
// Intl.DateTimeFormat.formatToParts says (the computation without the cache), across daylight saving
// changes too, however the instants asked about jump around (the cache keeps a few hours per zone).

const ZONES = Intl.supportedValuesOf('timeZone');
/** Zones that change their offset: on the hour, on a half hour (Lord Howe, Newfoundland, Chatham). */
const CHANGING = [
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
  'Europe/London',
  'Africa/Casablanca',
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FROM = Date.UTC(1900, 0, 1);
const TO = Date.UTC(2100, 0, 1);

const offsetOf = (t: number, zone: string): number => {
  const l = readWallClock(t, zone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(t / 1000) * 1000;
};

/** Every instant in a year at which the zone's offset changes, found to the millisecond. */
function changesIn(zone: string, year: number): number[] {
  const found: number[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    if (offsetOf(t, zone) === offsetOf(t + DAY, zone)) continue;
    let [before, after] = [t, t + DAY];
    while (after - before > 1) {
      const mid = Math.floor((before + after) / 2);
      if (offsetOf(mid, zone) === offsetOf(t, zone)) before = mid;
      else after = mid;
    }
    found.push(after);
  }
  return found;
}

const CHANGES = CHANGING.flatMap((zone) =>
  [1995, 2026, 2027, 2040].flatMap((year) => changesIn(zone, year).map((at) => ({ zone, at }))),
);

describe('the wall clock through the cache of offsets', () => {
  it('finds the daylight saving changes it is tested across, half-hour ones included', () => {
    expect(CHANGES.filter((c) => c.zone === 'Europe/Berlin')).toHaveLength(8);
    expect(CHANGES.filter((c) => c.zone === 'Australia/Lord_Howe').length).toBeGreaterThanOrEqual(8);
    // Lord Howe changes at 02:00 local, +10:30: not on a UTC hour.
    expect(CHANGES.some((c) => c.zone === 'Australia/Lord_Howe' && c.at % HOUR !== 0)).toBe(true);
  });

  it('reads what formatToParts reads, at random instants in every zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: FROM, max: TO }), (zone, t) => {
        expect(localDateTime(t, zone)).toEqual(readWallClock(t, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads what formatToParts reads around every change, in any order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CHANGES),
        fc.array(fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), { minLength: 1, maxLength: 30 }),
        ({ zone, at }, deltas) => {
          for (const delta of [...deltas, -1, 0, 1]) {
            expect(localDateTime(at + delta, zone)).toEqual(readWallClock(at + delta, zone));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('decides quiet hours and their end across changes as the wall clock of formatToParts says', () => {
    const quietByFormatter = (t: number, zone: string, { start, end }: { start: string; end: string }) => {
      const { hour, minute } = readWallClock(t, zone);
      const [now, from, to] = [hour * 60 + minute, ...[start, end].map(minuteOf)] as [number, number, number];
      return from < to ? now >= from && now < to : now >= from || now < to;
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...CHANGES),
        fc.integer({ min: -2 * DAY, max: 2 * DAY }),
        fc.constantFrom({ start: '21:00', end: '08:00' }, { start: '01:00', end: '03:30' }),
        ({ zone, at }, delta, window) => {
          const t = at + delta;
          expect(isQuiet(t, window, zone)).toBe(quietByFormatter(t, zone, window));
          // The end is the first instant from t on that is not quiet.
          const end = endOfQuiet(t, window, zone);
          expect(quietByFormatter(end, zone, window)).toBe(false);
          if (end > t) {
            expect(quietByFormatter(end - 1, zone, window)).toBe(true);
            expect(quietByFormatter(Math.floor((t + end) / 2), zone, window)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
