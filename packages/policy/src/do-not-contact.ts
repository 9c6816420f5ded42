/**
 * "Do not contact me until …" as a customer states it (`contact.preferences_updated`): a date, which
 * means from the start of that day on the customer's own wall clock, or a date-time, with an offset or
 * else on the customer's wall clock.
 */
import { TactfulError } from '@tactful/events';
import { z } from 'zod';
import { instantsOfLocal } from './zoned-time';

const FORM =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

type Parsed = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  ms: number;
  offsetMinutes: number | null;
};

function parse(value: string): Parsed | null {
  const m = FORM.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes: number | null = null;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = second * 1000 + Math.floor(Number(`0.${frac || '0'}`) * 1000);
  return { year, month, day, hour, minute, ms, offsetMinutes };
}

/** A stated do-not-contact-until: `YYYY-MM-DD`, or an ISO 8601 date-time with or without offset. */
export const DoNotContactUntil = z.string().refine((value) => parse(value) !== null, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an ISO 8601 date (2027-01-01) or date-time (2027-01-01T09:00:00Z)`,
});
export type DoNotContactUntil = z.infer<typeof DoNotContactUntil>;

/** Pure. The first instant at which the customer may be contacted again, read on `timeZone`'s wall clock. */
export function resumeInstant(value: DoNotContactUntil, timeZone: string): number {
  const p = parse(value);
  if (p === null) throw new TactfulError('internal', `invalid do-not-contact-until ${JSON.stringify(value)}`);
  if (p.offsetMinutes !== null) {
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) + p.ms - p.offsetMinutes * 60_000;
  }
  // Earliest reading: if the wall clock shows that time twice, the customer's wish is met at the first.
  const [first] = instantsOfLocal(p, timeZone);
  if (first === undefined) throw new TactfulError('internal', `cannot place ${value} in ${timeZone}`);
  return first + p.ms;
}
