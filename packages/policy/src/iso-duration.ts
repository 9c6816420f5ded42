/**
 * ISO 8601 durations as the policy file writes them: `PnW`, or `PnDTnHnMnS` with any part left out.
 * Years and months are refused because their length depends on the calendar, and a contact rule
 * ("at least this long between two messages") needs one fixed length in milliseconds.
 */

export type IsoDurationParse = { ok: true; ms: number } | { ok: false; reason: string };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const WEEKS = /^P(\d+)W$/;
// Only the seconds may carry a fraction: it is the smallest unit, as ISO 8601 requires of a fraction.
const DAY_TIME = /^P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Pure. Parses an ISO 8601 duration into milliseconds, or says why it cannot. */
export function parseIsoDuration(text: string): IsoDurationParse {
  const weeks = WEEKS.exec(text);
  if (weeks) return { ok: true, ms: Number(weeks[1]) * WEEK };

  const match = DAY_TIME.exec(text);
  if (!match) return { ok: false, reason: whyNot(text) };
  const [, days, hours, minutes, seconds] = match;
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) {
    return { ok: false, reason: `"${text}" names no amount; write e.g. PT12H or P1D` };
  }
  const ms =
    num(days) * DAY +
    num(hours) * HOUR +
    num(minutes) * MINUTE +
    Math.round(num(seconds?.replace(',', '.')) * SECOND);
  return { ok: true, ms };
}

function num(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}

function whyNot(text: string): string {
  if (!text.startsWith('P')) {
    return `"${text}" is not an ISO 8601 duration (it must start with P, e.g. PT12H)`;
  }
  if (/^P[^T]*[YM]/.test(text)) {
    return `"${text}" uses years or months, whose length varies; use days or weeks (e.g. P30D, P4W)`;
  }
  if (/W/.test(text)) return `"${text}": weeks (PnW) cannot be combined with other parts; use days (P10D)`;
  return `"${text}" is not an ISO 8601 duration of the form PnW or PnDTnHnMnS (e.g. PT12H, P1DT6H)`;
}
