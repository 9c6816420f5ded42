import { describe, expect, it } from 'vitest';
import { commandIdFor, type EmailSendCommand } from '@tactful/events';
import {
  applyBounce,
  applyOptOut,
  applyPreferences,
  applyStatusChange,
  DEFAULT_POLICY,
  recordSend,
} from '@tactful/policy';
import { emptyCustomerState, type CustomerState } from './customer-state';
import { lastMileCheck, type LastMileInput } from './last-mile';

const base = {
  customerId: 'ann',
  journey: 'whitepaper-nurture',
  journeyVersion: 3,
  stage: 'checkIn',
  template: 'wp-checkin',
  causationId: 'evt-1',
};
const command: EmailSendCommand = {
  ...base,
  id: commandIdFor(base),
  type: 'email.send',
  createdAt: '2026-11-23T10:00:00.000Z',
};
const now = new Date('2026-11-23T10:00:05Z');

function input(parts: Partial<LastMileInput> = {}): LastMileInput {
  return {
    command,
    state: emptyCustomerState('ann'),
    halts: [],
    policy: DEFAULT_POLICY,
    prospecting: false,
    deliveredLastHour: 0,
    now,
    ...parts,
  };
}

function withState(change: (s: CustomerState) => CustomerState): Partial<LastMileInput> {
  return { state: change(emptyCustomerState('ann')) };
}

describe('lastMileCheck', () => {
  it('lets a command through when nothing happened since it was made', () => {
    expect(lastMileCheck(input())).toBeNull();
    expect(lastMileCheck(input({ state: null }))).toBeNull();
  });

  it('sends although the orchestrator’s budget counts this very send (deferring rules are not re-applied)', () => {
    // at 22:00 UTC, inside default quiet hours, after three sends in the hour the engine recorded
    const late = new Date('2026-11-23T22:00:00Z');
    let contact = emptyCustomerState('ann').contact;
    for (const minute of [1, 2, 3])
      contact = recordSend(
        contact,
        { journey: 'j', template: `t${minute}` },
        new Date(late.getTime() - minute * 60_000),
      );
    expect(lastMileCheck(input({ now: late, state: { ...emptyCustomerState('ann'), contact } }))).toBeNull();
  });

  it.each([
    [
      'an opt-out the sentinel marked',
      { halts: [{ eventId: 'evt-9', type: 'contact.opted_out', at: 1, optOut: true }] },
      'opted_out',
      /opted out by contact.opted_out evt-9/,
    ],
    [
      'a reply that halts the journey',
      { halts: [{ eventId: 'evt-8', type: 'email.replied', at: 1, journeys: ['whitepaper-nurture'] }] },
      'halted',
      /halted by email.replied evt-8/,
    ],
    [
      'a mark for every journey',
      { halts: [{ eventId: 'evt-7', type: 'email.bounced', at: 1 }] },
      'halted',
      /email.bounced/,
    ],
    [
      'an opt-out the orchestrator applied',
      withState((s) => ({ ...s, contact: applyOptOut(s.contact) })),
      'opted_out',
      /opted out of all channels/,
    ],
    [
      'a hard bounce',
      withState((s) => ({ ...s, contact: applyBounce(s.contact, { hard: true }) })),
      'hard_bounced',
      /hard-bounced/,
    ],
    [
      'a topic opted out',
      withState((s) => ({ ...s, contact: applyPreferences(s.contact, { topicsOptedOut: ['x'] }) })),
      null,
      null,
    ],
    [
      'a reply applied after the command was decided, the journey since completed',
      withState((s) => ({
        ...s,
        history: {
          'whitepaper-nurture': { lastExitAt: '2026-11-23T09:59:00.000Z', outcome: 'completed', version: 3 },
        },
        haltFences: {
          journeys: {
            'whitepaper-nurture': { at: '2026-11-23T10:00:03.000Z', eventId: 'evt-r', type: 'email.replied' },
          },
        },
      })),
      'halted_after_decision',
      /whitepaper-nurture halted by email.replied evt-r, applied at 2026-11-23T10:00:03.000Z, after the command was decided/,
    ],
    [
      'a halt applied at the very instant the command was decided',
      withState((s) => ({
        ...s,
        haltFences: {
          journeys: {
            'whitepaper-nurture': { at: command.createdAt, eventId: 'evt-r', type: 'email.replied' },
          },
        },
      })),
      'halted_after_decision',
      /evt-r/,
    ],
    [
      'an opt-out applied after the command was decided, and opted in again since',
      withState((s) => ({
        ...s,
        haltFences: {
          all: { at: '2026-11-23T10:00:01.000Z', eventId: 'evt-o', type: 'contact.opted_out' },
          journeys: {},
        },
      })),
      'halted_after_decision',
      /every journey halted by contact.opted_out evt-o/,
    ],
    [
      'a halt of another journey',
      withState((s) => ({
        ...s,
        haltFences: {
          journeys: { other: { at: '2026-11-23T10:00:03.000Z', eventId: 'evt-r', type: 'email.replied' } },
        },
      })),
      null,
      null,
    ],
    [
      'a halt applied before the command was decided (the journey was entered again since)',
      withState((s) => ({
        ...s,
        haltFences: {
          all: { at: '2026-11-23T09:00:00.000Z', eventId: 'evt-o', type: 'contact.opted_out' },
          journeys: {
            'whitepaper-nurture': { at: '2026-11-23T09:59:59.999Z', eventId: 'evt-r', type: 'email.replied' },
          },
        },
      })),
      null,
      null,
    ],
    [
      'the journey halted after the command was made',
      withState((s) => ({
        ...s,
        history: {
          'whitepaper-nurture': { lastExitAt: '2026-11-23T10:00:03.000Z', outcome: 'halted', version: 3 },
        },
      })),
      'journey_halted',
      /halted at 2026-11-23T10:00:03.000Z, after the command was made/,
    ],
    [
      'a purchase that ended the journey after the command was made',
      withState((s) => ({
        ...s,
        history: {
          'whitepaper-nurture': {
            lastExitAt: '2026-11-23T10:00:03.000Z',
            outcome: 'completed',
            version: 3,
            blockedByPurchase: true,
          },
        },
      })),
      'journey_halted',
      /ended by a purchase/,
    ],
    [
      'a halt before the command was made (the journey was entered again)',
      withState((s) => ({
        ...s,
        history: {
          'whitepaper-nurture': { lastExitAt: '2026-11-23T09:00:00.000Z', outcome: 'halted', version: 3 },
        },
      })),
      null,
      null,
    ],
    [
      'a normal completion after the command was made',
      withState((s) => ({
        ...s,
        history: {
          'whitepaper-nurture': { lastExitAt: '2026-11-23T10:00:03.000Z', outcome: 'completed', version: 3 },
        },
      })),
      null,
      null,
    ],
    [
      'an existing customer on a prospecting journey',
      {
        ...withState((s) => ({ ...s, contact: applyStatusChange(s.contact, 'customer') })),
        prospecting: true,
      },
      'existing_customer',
      /existing customer/,
    ],
    [
      'an existing customer on a journey for everyone',
      withState((s) => ({ ...s, contact: applyStatusChange(s.contact, 'customer') })),
      null,
      null,
    ],
    [
      'the blast guard, on deliveries',
      { deliveredLastHour: 3 },
      'blast_guard',
      /3 emails delivered in the last hour/,
    ],
    ['under the blast guard', { deliveredLastHour: 2 }, null, null],
  ] as const)('%s', (_what, parts, code, reason) => {
    const verdict = lastMileCheck(input(parts as Partial<LastMileInput>));
    if (code === null) expect(verdict).toBeNull();
    else {
      expect(verdict?.code).toBe(code);
      expect(verdict?.reason).toMatch(reason!);
      expect(verdict?.reason).toMatch(/^at dispatch: /);
    }
  });
});

describe('lastMileCheck, topics and classes', () => {
  const onTopic: EmailSendCommand = { ...command, topic: 'whitepapers' };

  it('suppresses a send whose topic the person left, in the state or by a mark not yet applied', () => {
    const left = withState((s) => ({
      ...s,
      contact: applyPreferences(s.contact, { topicsOptedOut: ['Whitepapers'] }),
    }));
    expect(lastMileCheck(input({ ...left, command: onTopic }))).toEqual({
      code: 'topic_opted_out',
      reason: 'at dispatch: opted out of topic whitepapers',
    });
    const mark = {
      eventId: 'evt-p',
      type: 'contact.preferences_updated',
      at: 1,
      journeys: [],
      topics: ['whitepapers'],
    };
    expect(lastMileCheck(input({ halts: [mark], command: onTopic }))).toEqual({
      code: 'topic_opted_out',
      reason:
        'at dispatch: topic whitepapers left by contact.preferences_updated evt-p (marked, not yet applied)',
    });
    // the same mark names the journeys of the topic: those are halted by it
    const named = { ...mark, journeys: ['whitepaper-nurture'] };
    expect(lastMileCheck(input({ halts: [named], command: onTopic }))?.code).toBe('halted');
  });

  it('lets through the sends of other topics and of no topic', () => {
    const mark = {
      eventId: 'evt-p',
      type: 'contact.preferences_updated',
      at: 1,
      journeys: [],
      topics: ['offers'],
    };
    expect(lastMileCheck(input({ halts: [mark], command: onTopic }))).toBeNull();
    expect(lastMileCheck(input({ halts: [mark] }))).toBeNull();
  });

  it('stops a transactional send on an opt-out, never for the caps', () => {
    const answer: EmailSendCommand = { ...command, class: 'transactional', entry: 2 };
    expect(lastMileCheck(input({ command: answer }))).toBeNull();
    const optedOut = withState((s) => ({ ...s, contact: applyOptOut(s.contact, 'email') }));
    expect(lastMileCheck(input({ command: answer, ...optedOut }))?.code).toBe('opted_out');
  });
});
