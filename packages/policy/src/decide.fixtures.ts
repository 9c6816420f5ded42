// Shared by the table tests of decide (decide.*.test.ts): the case shape, and the check each case gets.
import { expect } from 'vitest';
import { ContactView } from './contact-view';
import { decide } from './decide';
import type { DeferCode, SendRequest, SuppressCode } from './decision';
import { Policy } from './policy';

type ContactInput = Partial<Omit<ContactView, 'sends'>> & { sends?: string[] };

export function contact({ sends = [], ...rest }: ContactInput = {}): ContactView {
  return ContactView.parse({ ...rest, sends: sends.map((at) => ({ at, journey: 'j', template: 't' })) });
}

export const REQUEST: SendRequest = {
  journey: 'trade-in',
  template: 'trade-in-offer',
  prospecting: false,
  channel: 'email',
};

type Expected =
  | { kind: 'send' }
  | { kind: 'suppress'; code: SuppressCode; alert?: 'blast_guard' }
  | { kind: 'defer'; until: string; code: DeferCode; text?: RegExp };

export type Case = {
  name: string;
  policy?: Record<string, unknown>;
  contact?: ContactInput;
  request?: Partial<SendRequest>;
  now: string;
  expected: Expected;
};

export const send: Expected = { kind: 'send' };
export const suppress = (code: SuppressCode): Expected => ({ kind: 'suppress', code });
export const BLAST: Expected = { kind: 'suppress', code: 'blast_guard', alert: 'blast_guard' };
export const defer = (until: string, code: DeferCode, text?: RegExp): Expected => ({
  kind: 'defer',
  until,
  code,
  text,
});
export const noCaps = { frequency: { maxPerDay: 100, maxPerWeek: 100, minGap: 'PT0S' } };
export const noQuiet = { quietHours: { start: '00:00', end: '00:00' } };

/** The decision of one case, as the case expects; a deferral is also checked at and just before its end. */
export function checkCase({ policy = {}, contact: c = {}, request = {}, now, expected }: Case): void {
  const p = Policy.parse(policy);
  const view = contact(c);
  const req = { ...REQUEST, ...request };
  const decision = decide(p, view, req, new Date(now));
  switch (expected.kind) {
    case 'send':
      expect(decision).toEqual({ kind: 'send' });
      break;
    case 'suppress':
      expect(decision).toEqual({
        kind: 'suppress',
        reason: { code: expected.code, text: expect.any(String) },
        ...(expected.alert ? { alert: expected.alert } : {}),
      });
      break;
    case 'defer':
      expect(decision).toEqual({
        kind: 'defer',
        until: expected.until,
        reason: {
          code: expected.code,
          text: expected.text ? expect.stringMatching(expected.text) : expect.any(String),
        },
      });
      // At `until` every rule allows it; a millisecond earlier one still does not.
      expect(decide(p, view, req, new Date(expected.until))).toEqual({ kind: 'send' });
      expect(decide(p, view, req, new Date(Date.parse(expected.until) - 1)).kind).toBe('defer');
      break;
  }
}
