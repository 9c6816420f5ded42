/**
 * Counting sends in rolling windows. A window of length W ending at t holds the sends after t − W, so
 * a send exactly W after another no longer shares a window with it. Sends recorded at or after t
 * (clocks of different machines disagree a little) count as inside, which errs on the side of waiting.
 */
import type { ContactView } from './contact-view';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** Pure. The send times of a contact view in ms, earliest first. */
export function sendTimes(contact: ContactView): number[] {
  return contact.sends.map((s) => Date.parse(s.at)).sort((a, b) => a - b);
}

/** Pure. How many of `times` fall in the window of length `windowMs` ending at `t`. */
export function countInWindow(times: readonly number[], t: number, windowMs: number): number {
  return times.filter((s) => s > t - windowMs).length;
}

/**
 * Pure. The first instant at or after `t` at which the window holds fewer than `max` sends, so one
 * more is allowed: when the window is full, the moment its `max`-th latest send drops out.
 */
export function windowOpensAt(times: readonly number[], t: number, windowMs: number, max: number): number {
  const inside = times.filter((s) => s > t - windowMs);
  const leaving = inside[inside.length - max];
  return leaving === undefined ? t : leaving + windowMs;
}
