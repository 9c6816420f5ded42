import { TactfulError } from './errors';

// The one reader of ISO 8601 durations: journey waits and re-entry, the policy's minimum gap, timeline
// offsets and `--since` all go through it, so a text valid in one place is valid in all of them.

/** The result of reading a duration: its length, or why it was refused. */
export type ParsedDuration = { ms: number } | { error: string };

const UNIT_MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1_000 } as const;

// Weeks and days before T, hours, minutes and seconds after it; only seconds may have a fraction, the
// smallest unit, as ISO 8601 requires of a fraction.
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;

/**
 * The texts `parseIsoDuration` may accept, as a JSON Schema pattern for editors (journey, policy and
 * timeline files). Looser only where a pattern cannot judge: a fraction finer than a millisecond and a
 * length past the safe integers match it and are refused by the parser.
 */
export const ISO_DURATION_PATTERN = '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+([.,]\\d+)?S)?)?$';

/**
 * Pure. Reads an ISO 8601 duration of fixed length (`P2W`, `P1W2D`, `P3D`, `PT30S`, `P1DT12H`, `PT0.5S`),
 * to the millisecond. Months and years are refused: their length depends on the calendar, and a wait or
 * a gap must last the same number of milliseconds whenever it starts. So is a fraction finer than a
 * millisecond, which no clock of Tactful could honour, and a length past `Number.MAX_SAFE_INTEGER` ms.
 */
export function parseIsoDuration(text: string): ParsedDuration {
  const match = PATTERN.exec(text);
  if (match === null || text === 'P' || text.endsWith('T')) {
    const datePart = text.split('T', 1)[0] ?? '';
    if (text.startsWith('P') && /\d[YM]/.test(datePart)) {
      return { error: `"${text}": months and years have no fixed length; use weeks (P4W) or days (P30D)` };
    }
    return { error: `"${text}" is not an ISO 8601 duration like PT30S, PT2H, P3D or P2W` };
  }
  const [, weeks, days, hours, minutes, seconds, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(3))) {
    return { error: `"${text}" is finer than a millisecond; write at most three decimals of seconds` };
  }
  const ms =
    count(weeks) * UNIT_MS.W +
    count(days) * UNIT_MS.D +
    count(hours) * UNIT_MS.H +
    count(minutes) * UNIT_MS.M +
    count(seconds) * UNIT_MS.S +
    Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (!Number.isSafeInteger(ms)) return { error: `"${text}" is too long` };
  return { ms };
}

/**
 * Pure. Writes milliseconds as a canonical ISO 8601 duration: days, hours, minutes and seconds, the
 * units that are zero left out (`P3D`, `PT1H30M`, `PT0.25S`, `PT0S`).
 */
export function formatIsoDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TactfulError(
      'internal',
      `a duration is a whole, non-negative number of milliseconds, not ${ms}`,
    );
  }
  const days = Math.floor(ms / UNIT_MS.D);
  const hours = Math.floor((ms % UNIT_MS.D) / UNIT_MS.H);
  const minutes = Math.floor((ms % UNIT_MS.H) / UNIT_MS.M);
  const seconds = Math.floor((ms % UNIT_MS.M) / UNIT_MS.S);
  const millis = ms % UNIT_MS.S;
  const datePart = days > 0 ? `${days}D` : '';
  const secondsPart =
    millis > 0
      ? `${seconds}.${String(millis).padStart(3, '0').replace(/0+$/, '')}S`
      : seconds > 0
        ? `${seconds}S`
        : '';
  const timePart = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${secondsPart}`;
  if (datePart === '' && timePart === '') return 'PT0S';
  return `P${datePart}${timePart === '' ? '' : `T${timePart}`}`;
}

function count(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits);
}
