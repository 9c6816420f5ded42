import { TactfulError } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import {
  applyBounce,
  applyOptIn,
  applyOptOut,
  applyPreferences,
  applyStatusChange,
  pruneSends,
  recordSend,
} from './contact-updates';
import { ContactView, EMPTY_CONTACT, SEND_HISTORY_LIMIT, isOptedOut } from './contact-view';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (ms: number) => new Date(ms);
const msg = (template: string) => ({ journey: 'wp', template });

describe('recordSend', () => {
  it('appends the send at now, email by default, and leaves the input alone', () => {
    const before = structuredClone(EMPTY_CONTACT);
    const after = recordSend(EMPTY_CONTACT, msg('wp-welcome'), at(T0));
    expect(after.sends).toEqual([
      { at: '2026-11-23T10:00:00.000Z', journey: 'wp', template: 'wp-welcome', channel: 'email' },
    ]);
    expect(EMPTY_CONTACT).toEqual(before);
  });

  it('is idempotent for the same send at the same instant', () => {
    const once = recordSend(EMPTY_CONTACT, msg('a'), at(T0));
    expect(recordSend(once, msg('a'), at(T0))).toEqual(once);
  });

  it('keeps only the last 7 days', () => {
    let c = EMPTY_CONTACT;
    for (let day = 0; day < 10; day++) c = recordSend(c, msg(`t${day}`), at(T0 + day * DAY));
    // At day 9, sends after day 2 are within 7 days; day 2 itself is exactly 7 days old and drops out.
    expect(c.sends.map((s) => s.template)).toEqual(['t3', 't4', 't5', 't6', 't7', 't8', 't9']);
  });

  it('keeps the latest send however old, for a minimum gap longer than the week', () => {
    const c = pruneSends(recordSend(EMPTY_CONTACT, msg('old'), at(T0)), at(T0 + 30 * DAY));
    expect(c.sends.map((s) => s.template)).toEqual(['old']);
  });

  it('never keeps more than SEND_HISTORY_LIMIT sends', () => {
    let c = EMPTY_CONTACT;
    for (let i = 0; i < SEND_HISTORY_LIMIT + 20; i++) c = recordSend(c, msg(`t${i}`), at(T0 + i * 1000));
    expect(c.sends).toHaveLength(SEND_HISTORY_LIMIT);
    expect(c.sends.at(-1)?.template).toBe(`t${SEND_HISTORY_LIMIT + 19}`);
    expect(ContactView.safeParse(JSON.parse(JSON.stringify(c))).success).toBe(true);
  });

  it('keeps sends in time order when one is recorded late', () => {
    const c = recordSend(recordSend(EMPTY_CONTACT, msg('b'), at(T0 + 1000)), msg('a'), at(T0));
    expect(c.sends.map((s) => s.template)).toEqual(['a', 'b']);
  });
});

describe('opt-out and opt-in', () => {
  type Step = ['out' | 'in', string | undefined];
  // [what, steps, channels still allowed, channels blocked]
  const cases: [string, Step[], string[], string[]][] = [
    ['nothing', [], ['email', 'sms'], []],
    ['opt-out without channel means all', [['out', undefined]], [], ['email', 'sms']],
    ['opt-out of email', [['out', 'email']], ['sms'], ['email']],
    ['names compare case-blind', [['out', ' Email ']], ['sms'], ['email', 'EMAIL']],
    [
      'opt-in lifts all',
      [
        ['out', 'all'],
        ['in', undefined],
      ],
      ['email', 'sms'],
      [],
    ],
    [
      'opt-in to email after all',
      [
        ['out', 'all'],
        ['in', 'email'],
      ],
      ['email'],
      ['sms', 'push'],
    ],
    [
      'opt-out of all again cancels it',
      [
        ['out', 'all'],
        ['in', 'email'],
        ['out', 'all'],
      ],
      [],
      ['email'],
    ],
    [
      'opt-out of email again',
      [
        ['out', 'all'],
        ['in', 'email'],
        ['out', 'email'],
      ],
      [],
      ['email', 'sms'],
    ],
    [
      'opt-in to sms only lifts sms',
      [
        ['out', 'email'],
        ['out', 'sms'],
        ['in', 'sms'],
      ],
      ['sms'],
      ['email'],
    ],
  ];

  it.each(cases)('%s', (_, steps, allowed, blocked) => {
    let c = EMPTY_CONTACT;
    for (const [kind, channel] of steps)
      c = kind === 'out' ? applyOptOut(c, channel) : applyOptIn(c, channel);
    for (const channel of allowed) expect(isOptedOut(c, channel), channel).toBe(false);
    for (const channel of blocked) expect(isOptedOut(c, channel), channel).toBe(true);
  });

  it('refuses an empty channel name', () => {
    expect(() => applyOptOut(EMPTY_CONTACT, ' ')).toThrow(TactfulError);
  });
});

describe('applyBounce and applyStatusChange', () => {
  it('marks a hard bounce and ignores a soft one', () => {
    expect(applyBounce(EMPTY_CONTACT, { hard: true }).hardBounced).toBe(true);
    expect(applyBounce(EMPTY_CONTACT, { hard: false })).toBe(EMPTY_CONTACT);
  });

  it.each(['prospect', 'customer', 'former-customer'])('sets status %s', (status) => {
    expect(applyStatusChange(EMPTY_CONTACT, status).status).toBe(status);
  });

  it('refuses an unknown status as event.invalid', () => {
    expect(() => applyStatusChange(EMPTY_CONTACT, 'vip')).toThrow(
      expect.objectContaining({ code: 'event.invalid', message: expect.stringMatching(/vip/) }),
    );
  });
});

describe('applyPreferences', () => {
  const set = applyPreferences(EMPTY_CONTACT, {
    doNotContactUntil: '2036-01-01',
    timezone: 'Europe/Berlin',
    topicsOptedOut: ['Trade-In', ' trade-in', 'service '],
  });

  it('sets what is given, normalising topics', () => {
    expect(set).toMatchObject({
      doNotContactUntil: '2036-01-01',
      timezone: 'Europe/Berlin',
      topicsOptedOut: ['trade-in', 'service'],
    });
  });

  it('leaves out what is not given, clears what is null, replaces topics', () => {
    expect(applyPreferences(set, { timezone: null, topicsOptedOut: [] })).toMatchObject({
      doNotContactUntil: '2036-01-01',
      timezone: null,
      topicsOptedOut: [],
    });
    expect(applyPreferences(set, { doNotContactUntil: null }).doNotContactUntil).toBeNull();
  });

  it('reports every invalid field at once', () => {
    expect(() => applyPreferences(set, { doNotContactUntil: 'soon', timezone: 'Mars/Base' })).toThrow(
      expect.objectContaining({
        code: 'event.invalid',
        message: expect.stringMatching(/doNotContactUntil: .*soon.*; timezone: .*Mars\/Base/),
      }),
    );
  });
});
