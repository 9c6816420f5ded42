const UNITS = [
  ['week', 604_800_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
  ['millisecond', 1],
] as const;

/**
 * Pure. Milliseconds in the units people use: "3 days", "30 seconds", "1 day 12 hours", "2 weeks".
 * Weeks only when the length is whole weeks: "10 days" reads better than "1 week 3 days".
 */
export function humanDuration(ms: number): string {
  if (ms === 0) return '0 seconds';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of UNITS) {
    if (unit === 'week' && ms % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    rest -= count * size;
  }
  return parts.join(' ');
}
