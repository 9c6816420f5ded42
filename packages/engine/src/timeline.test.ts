import { describe, expect, it } from 'vitest';
import { emptyCustomerState } from './customer-state';
import { simulateTimeline } from './simulate-timeline';
import { catalogOf, RELAXED_POLICY, whitepaper } from './test-kit';
import { parseTimelineText, stateWithProfile, Timeline, TimelineProfile, timelineEvents } from './timeline';

const parse = (text: string) => parseTimelineText(Timeline, text, 'ann.yaml');

describe('Timeline', () => {
  it('reads the contract’s example', () => {
    const parsed = parse(`
customer: ann
profile: { email: ann@example.test, status: prospect, timezone: Europe/Berlin }
events:
  - { at: P0D, type: form.submitted, data: { formId: whitepaper-2026, email: ann@example.test } }
  - { at: P1DT2H, type: email.replied, data: {} }
until: P30D
`);
    expect(parsed).toMatchObject({ ok: true, value: { customer: 'ann', until: 'P30D' } });
  });

  it('lists every problem with its place: bad data, order, internal or unknown types, durations, fields', () => {
    const parsed = parse(`
customer: ann
profile: { timezone: Mars/Base, status: vip }
events:
  - { at: P1D, type: form.submitted, data: { formId: wp } }
  - { at: PT1H, type: email.replied }
  - { at: P1M, type: timer.fired }
  - { at: P2D, type: email.openned, dat: {} }
until: soon
`);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.error).toEqual([
      expect.stringMatching(/^ann\.yaml: profile\.status: /),
      expect.stringMatching(/^ann\.yaml: profile\.timezone: "Mars\/Base" is not an IANA time zone/),
      expect.stringMatching(/^ann\.yaml: events\[2\]\.at: "P1M": months and years have no fixed length/),
      expect.stringMatching(/^ann\.yaml: events\[2\]\.type: /),
      expect.stringMatching(/^ann\.yaml: events\[3\]\.type: /),
      expect.stringMatching(/^ann\.yaml: events\[3\]: Unrecognized key: "dat"/),
      expect.stringMatching(/^ann\.yaml: until: "soon" is not an ISO 8601 duration/),
    ]);
    const order = parse(`
events:
  - { at: P1D, type: form.submitted, data: { formId: wp } }
  - { at: PT1H, type: email.replied }
`);
    expect(order.ok ? [] : order.error).toEqual([
      'ann.yaml: events[0].data.email: Invalid input: expected string, received undefined',
      'ann.yaml: events[1].at: PT1H is earlier than the event before it; list the events in time order',
    ]);
  });

  it('refuses a file that is not YAML or JSON, saying so', () => {
    expect(parse('events: [').ok).toBe(false);
    expect(parseTimelineText(Timeline, '{', 'x.json')).toMatchObject({
      ok: false,
      error: [expect.stringContaining('x.json: not valid JSON')],
    });
  });

  it('gives the person of the profile their status, time zone, preferences and address', () => {
    const profile = TimelineProfile.parse({
      email: 'fin@example.test',
      name: 'Fin',
      status: 'customer',
      timezone: 'Europe/Berlin',
      doNotContactUntil: '2036-01-01',
      topicsOptedOut: ['Offers'],
      fields: { plan: 'pro' },
    });
    const state = stateWithProfile(emptyCustomerState('fin'), profile);
    expect(state.profile).toEqual({ email: 'fin@example.test', name: 'Fin', fields: { plan: 'pro' } });
    expect(state.contact).toMatchObject({
      status: 'customer',
      timezone: 'Europe/Berlin',
      doNotContactUntil: '2036-01-01',
      topicsOptedOut: ['offers'],
    });
  });

  it('places each event at its offset from the start, with ids in file order unless given', () => {
    const timeline = Timeline.parse({
      events: [
        { at: 'P0D', type: 'page.viewed', data: { url: 'https://x.example/' } },
        { at: 'PT90M', type: 'email.opened', id: 'open-1' },
      ],
    });
    const events = timelineEvents(timeline, 'ann', Date.parse('2026-11-23T10:00:00Z'));
    expect(events.map((e) => [e.id, e.subject, e.time])).toEqual([
      ['evt-1', 'ann', '2026-11-23T10:00:00.000Z'],
      ['open-1', 'ann', '2026-11-23T11:30:00.000Z'],
    ]);
  });
});

describe('simulateTimeline', () => {
  const ctx = { catalog: catalogOf(whitepaper()), policy: RELAXED_POLICY };
  const start = Date.parse('2026-11-23T10:00:00Z');
  const form = { formId: 'whitepaper-2026', email: 'ann@example.test' };

  it('stops the clock `until` after the last event', () => {
    const run = simulateTimeline(
      Timeline.parse({ events: [{ at: 'P0D', type: 'form.submitted', data: form }], until: 'P1D' }),
      ctx,
      start,
    );
    expect(run.customerId).toBe('customer');
    expect(run.end).toBe(start + 86_400_000);
    expect(run.decisions.map((d) => d.template ?? d.decision)).toEqual(['entered', 'wp-welcome']);
    expect(run.pending.map((t) => [t.payload.kind, t.payload.stage])).toEqual([['after', 'welcome']]);
  });

  it('without `until`, runs until nothing is pending', () => {
    const run = simulateTimeline(
      Timeline.parse({ events: [{ at: 'P0D', type: 'form.submitted', data: form }] }),
      ctx,
      start,
    );
    expect(run.decisions.map((d) => d.template ?? d.decision)).toEqual([
      'entered',
      'wp-welcome',
      'wp-checkin',
      'completed',
    ]);
    expect(new Date(run.end).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(run.pending).toEqual([]);
  });
});
