import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordSend } from './contact-updates';
import { ContactView, EMPTY_CONTACT } from './contact-view';
import { decide } from './decide';
import type { SendRequest } from './decision';
import { parseIsoDuration } from '@tactful/events';
import { Policy } from './policy';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Whole, half, quarter-hour and daylight-saving zones of both hemispheres.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
  'America/Santiago',
];

const hhmm = fc
  .integer({ min: 0, max: 1439 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

const policyArb = fc
  .record({
    maxPerDay: fc.integer({ min: 1, max: 4 }),
    maxPerWeek: fc.integer({ min: 1, max: 10 }),
    minGapMinutes: fc.integer({ min: 0, max: 36 * 60 }),
    start: hhmm,
    end: hhmm,
    defaultTimezone: fc.constantFrom(...ZONES),
    maxPerHour: fc.integer({ min: 1, max: 5 }),
  })
  .map((p) =>
    Policy.parse({
      frequency: { maxPerDay: p.maxPerDay, maxPerWeek: p.maxPerWeek, minGap: `PT${p.minGapMinutes}M` },
      quietHours: { start: p.start, end: p.end, defaultTimezone: p.defaultTimezone },
      blastGuard: { maxPerHour: p.maxPerHour },
    }),
  );

const requestArb: fc.Arbitrary<SendRequest> = fc.record({
  journey: fc.constantFrom('nurture', 'trade-in'),
  template: fc.constantFrom('a', 'b', 'c'),
  prospecting: fc.boolean(),
  channel: fc.constant('email'),
});

const scenarioArb = fc.record({
  policy: policyArb,
  timezone: fc.option(fc.constantFrom(...ZONES), { nil: null }),
  start: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
  steps: fc.array(
    fc.record({
      // Mostly close together, so the caps and the gap are what decide; sometimes days apart.
      waitMs: fc.oneof(fc.integer({ min: 0, max: 3 * HOUR }), fc.integer({ min: 0, max: 3 * DAY })),
      request: requestArb,
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

/** The quiet-hours rule read straight from CONTRACT.md, with its own reading of the wall clock. */
function inQuietHours(ms: number, policy: Policy, timezone: string | null): boolean {
  const text = new Date(ms).toLocaleTimeString('en-GB', {
    timeZone: timezone ?? policy.quietHours.defaultTimezone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  });
  const toMinutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const [m, start, end] = [
    toMinutes(text),
    toMinutes(policy.quietHours.start),
    toMinutes(policy.quietHours.end),
  ];
  if (start === end) return false;
  return start < end ? m >= start && m < end : m >= start || m < end;
}

function mostInAnyWindow(sent: readonly number[], windowMs: number): number {
  return Math.max(0, ...sent.map((s) => sent.filter((x) => x >= s && x < s + windowMs).length));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The engine's side of the contract: ask at each request; on `send` record it, on `defer` wait until
 * `until` and ask again (sending then), on `suppress` drop it. Returns the instants of every send.
 */
function simulate(
  policy: Policy,
  timezone: string | null,
  start: number,
  steps: readonly { waitMs: number; request: SendRequest }[],
): number[] {
  let contact: ContactView = deepFreeze({ ...EMPTY_CONTACT, timezone });
  let clock = start;
  const sent: number[] = [];
  for (const { waitMs, request } of steps) {
    clock += waitMs;
    const now = new Date(clock);
    const decision = decide(policy, contact, request, now);
    expect(decide(policy, contact, request, now)).toEqual(decision);

    if (decision.kind === 'suppress') continue;
    if (decision.kind === 'defer') {
      const until = Date.parse(decision.until);
      expect(until).toBeGreaterThan(clock);
      // The earliest such instant: a millisecond before, something still holds it back.
      expect(decide(policy, contact, request, new Date(until - 1)).kind).toBe('defer');
      const again = decide(policy, contact, request, new Date(until));
      expect(again).toEqual({ kind: 'send' });
      clock = until;
    }
    contact = deepFreeze(recordSend(contact, request, new Date(clock)));
    sent.push(clock);
  }
  return sent;
}

describe('decide, for every sequence of requests', () => {
  it('never lets the sends break a cap, the gap, quiet hours or the blast guard', () => {
    fc.assert(
      fc.property(scenarioArb, ({ policy, timezone, start, steps }) => {
        const sent = simulate(policy, timezone, start, steps);
        const gap = parseIsoDuration(policy.frequency.minGap);
        if ('error' in gap) throw new Error(gap.error);

        expect(mostInAnyWindow(sent, DAY)).toBeLessThanOrEqual(policy.frequency.maxPerDay);
        expect(mostInAnyWindow(sent, 7 * DAY)).toBeLessThanOrEqual(policy.frequency.maxPerWeek);
        expect(mostInAnyWindow(sent, HOUR)).toBeLessThanOrEqual(policy.blastGuard.maxPerHour);
        for (let i = 1; i < sent.length; i++) {
          expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(gap.ms);
        }
        for (const s of sent) expect(inQuietHours(s, policy, timezone)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('sends whenever no rule holds it back (it is not stricter than the policy)', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        requestArb,
        (policy, t, request) => {
          const decision = decide(policy, EMPTY_CONTACT, request, new Date(t));
          expect(decision.kind).toBe(inQuietHours(t, policy, null) ? 'defer' : 'send');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('defers to a later instant at which it then sends, from any state', () => {
    const timeArb = fc.integer({
      min: Date.parse('2026-01-01T00:00:00Z'),
      max: Date.parse('2027-12-31T00:00:00Z'),
    });
    const contactArb = fc.record({
      // Up to a week and a day back, and a little ahead: another machine's clock may run fast.
      sendOffsets: fc.array(fc.integer({ min: -8 * DAY, max: 60_000 }), { maxLength: 8 }),
      timezone: fc.option(fc.constantFrom(...ZONES), { nil: null }),
      doNotContactUntil: fc.option(
        fc.oneof(
          fc.integer({ min: -30, max: 60 }).map((days) => ({ days, dateOnly: true })),
          fc.integer({ min: -30 * DAY, max: 60 * DAY }).map((ms) => ({ days: ms / DAY, dateOnly: false })),
        ),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(policyArb, contactArb, timeArb, requestArb, (policy, c, now, request) => {
        const resume = c.doNotContactUntil && new Date(now + c.doNotContactUntil.days * DAY).toISOString();
        const contact = deepFreeze(
          ContactView.parse({
            timezone: c.timezone,
            doNotContactUntil: resume && (c.doNotContactUntil?.dateOnly ? resume.slice(0, 10) : resume),
            sends: c.sendOffsets.map((o) => ({
              at: new Date(now + o).toISOString(),
              journey: 'j',
              template: 't',
            })),
          }),
        );
        const decision = decide(policy, contact, request, new Date(now));
        expect(decide(policy, contact, request, new Date(now))).toEqual(decision);
        if (decision.kind === 'suppress') {
          // Nothing in these contact views suppresses but the blast guard.
          expect(decision).toMatchObject({ reason: { code: 'blast_guard' }, alert: 'blast_guard' });
          return;
        }
        if (decision.kind === 'send') return;
        const until = Date.parse(decision.until);
        expect(until).toBeGreaterThan(now);
        expect(decide(policy, contact, request, new Date(until))).toEqual({ kind: 'send' });
        expect(decide(policy, contact, request, new Date(until - 1)).kind).toBe('defer');
      }),
      { numRuns: 1000 },
    );
  });
});
