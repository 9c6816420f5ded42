/**
 * Wall-clock arithmetic in IANA time zones through `Intl.DateTimeFormat`, so offsets and daylight
 * saving come from the runtime's time zone database and never from a hand-made table.
 */
import { TactfulError } from '@tactful/events';

export type LocalDateTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const DAY = 86_400_000;

// Building a DateTimeFormat costs far more than using one, and decide() reads the wall clock several
// times per call; the cache holds immutable formatters keyed by zone, so it cannot change any result.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** Pure. Whether `name` is a time zone the runtime knows by IANA name (fixed offsets like `+01:00` are not). */
export function isValidTimeZone(name: string): boolean {
  if (name.trim() === '' || /^[+-]/.test(name)) return false;
  try {
    formatter(name);
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/**
 * The wall clock read from `Intl.DateTimeFormat.formatToParts`: the reference, and what fills the cache
 * of offsets below. A few microseconds per call, and `decide` reads the wall clock for every send.
 */
export function readWallClock(instantMs: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = fields;
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    throw new TactfulError('internal', `cannot read the wall clock of ${timeZone}`);
  }
  return { year, month, day, hour, minute, second };
}

/** The wall clock as if it were UTC, in ms, read from the formatter; `- instantMs` is the zone's offset. */
function readWall(instantMs: number, timeZone: string): number {
  const l = readWallClock(instantMs, timeZone);
  const ms = ((instantMs % 1000) + 1000) % 1000;
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) + ms;
}

const HOUR = 3_600_000;
const HOURS_KEPT_PER_ZONE = 8;

// Offsets change a few times a year, at instants that are not always on a UTC hour (Lord Howe, Chatham,
// Newfoundland change on a half hour). An hour of UTC whose first and last millisecond have the same
// offset has it throughout (no zone changes its offset twice within an hour), so the offset is cached for
// such an hour and read from the formatter again otherwise. Like the formatters, the cache only ever
// holds what the formatter said, so it cannot change a result; a few recent hours per zone are kept
// (a deferral looks a day ahead and back, then the next send asks about now again).
const offsets = new Map<string, Map<number, number>>();

/** Pure. The zone's offset at an instant in ms (wall clock as if UTC, minus the instant). */
function offsetAt(instantMs: number, timeZone: string): number {
  const hour = Math.floor(instantMs / HOUR);
  let zone = offsets.get(timeZone);
  const cached = zone?.get(hour);
  if (cached !== undefined) return cached;
  const offset = readWall(instantMs, timeZone) - instantMs;
  const first = hour * HOUR;
  const last = first + HOUR - 1;
  if (readWall(first, timeZone) - first === offset && readWall(last, timeZone) - last === offset) {
    if (zone === undefined) {
      zone = new Map();
      offsets.set(timeZone, zone);
    }
    if (zone.size >= HOURS_KEPT_PER_ZONE) zone.delete(zone.keys().next().value as number);
    zone.set(hour, offset);
  }
  return offset;
}

/** Pure. The wall-clock date and time of an instant in `timeZone` (as `readWallClock`, from the cache). */
export function localDateTime(instantMs: number, timeZone: string): LocalDateTime {
  const d = new Date(instantMs + offsetAt(instantMs, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** The wall clock as if it were UTC, in ms; `wall(t) - t` is the zone's offset at `t`. */
function wall(instantMs: number, timeZone: string): number {
  return instantMs + offsetAt(instantMs, timeZone);
}

/**
 * Pure. The instants at which the wall clock of `timeZone` reads `local` (seconds taken as 0), earliest
 * first: one normally, two when clocks fall back, and when clocks spring forward over it, the one
 * instant the clock jumps past it (the first instant whose wall clock is later).
 */
export function instantsOfLocal(
  local: Pick<LocalDateTime, 'year' | 'month' | 'day' | 'hour' | 'minute'>,
  timeZone: string,
): number[] {
  const target = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // A day either side sees the offsets before and after any transition near the target.
  const offsets = [...new Set([target - DAY, target + DAY].map((t) => wall(t, timeZone) - t))];
  const exact = offsets.map((o) => target - o).filter((t) => wall(t, timeZone) === target);
  if (exact.length > 0) return [...new Set(exact)].sort((a, b) => a - b);

  let before = target - Math.max(...offsets);
  let after = target - Math.min(...offsets);
  if (!(wall(before, timeZone) < target && wall(after, timeZone) >= target)) {
    throw new TactfulError('internal', `cannot place ${JSON.stringify(local)} in ${timeZone}`);
  }
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (wall(mid, timeZone) >= target) after = mid;
    else before = mid;
  }
  return [after];
}

/** Pure. The calendar date `days` after the given one (negative goes back). */
export function addDays(
  date: Pick<LocalDateTime, 'year' | 'month' | 'day'>,
  days: number,
): Pick<LocalDateTime, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
