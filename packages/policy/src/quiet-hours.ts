/**
 * Quiet hours on the customer's own wall clock. A window whose start is later than its end crosses
 * midnight (21:00–08:00); one whose start equals its end is empty, which is how a file turns them off.
 */
import { TactfulError } from '@tactful/events';
import { addDays, instantsOfLocal, localDateTime } from './zoned-time';

export type QuietWindow = { start: string; end: string };

const ZERO = 48; // '0'

/** Pure. Minutes since midnight of an `HH:MM` time (read digit by digit: it runs for every send). */
export function minuteOfDay(hhmm: string): number {
  if (hhmm.length !== 5 || hhmm.charCodeAt(2) !== 58 /* ':' */) {
    const [h, m] = hhmm.split(':');
    return Number(h) * 60 + Number(m);
  }
  const digit = (i: number) => hhmm.charCodeAt(i) - ZERO;
  return (digit(0) * 10 + digit(1)) * 60 + digit(3) * 10 + digit(4);
}

function inWindow(minute: number, window: QuietWindow): boolean {
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Pure. Whether the instant falls inside the quiet window on the wall clock of `timeZone`. */
export function isQuiet(instantMs: number, window: QuietWindow, timeZone: string): boolean {
  const local = localDateTime(instantMs, timeZone);
  return inWindow(local.hour * 60 + local.minute, window);
}

/** Pure. The first instant at or after `instantMs` that is outside the quiet window. */
export function endOfQuiet(instantMs: number, window: QuietWindow, timeZone: string): number {
  // No quiet hours (start = end): no need to read the clock.
  if (window.start === window.end) return instantMs;
  const local = localDateTime(instantMs, timeZone);
  const minute = local.hour * 60 + local.minute;
  if (!inWindow(minute, window)) return instantMs;

  const end = minuteOfDay(window.end);
  // Inside a window that crosses midnight and before midnight, the window ends tomorrow.
  const endDate = minute >= end ? addDays(local, 1) : local;
  const candidates = instantsOfLocal({ ...endDate, hour: Math.floor(end / 60), minute: end % 60 }, timeZone);
  // When clocks fall back the end time occurs twice; the one still ahead is the end of this window.
  const next = candidates.find((t) => t > instantMs);
  if (next === undefined) {
    throw new TactfulError(
      'internal',
      `no end of quiet hours after ${new Date(instantMs).toISOString()} in ${timeZone}`,
    );
  }
  return next;
}
