import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pruneSends } from './contact-updates';
import type { ContactView } from './contact-view';
import { EMPTY_CONTACT, SEND_HISTORY_LIMIT, SEND_HISTORY_WINDOW_MS } from './contact-view';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T10:00:00Z');

/** The rule as written: oldest first, those within the window, else the latest, at most the limit. */
function pruneByTheRule(contact: ContactView, now: Date): ContactView {
  const sorted = [...contact.sends].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const recent = sorted.filter((s) => Date.parse(s.at) > now.getTime() - SEND_HISTORY_WINDOW_MS);
  const latest = sorted.at(-1);
  return {
    ...contact,
    sends: (recent.length === 0 && latest ? [latest] : recent).slice(-SEND_HISTORY_LIMIT),
  };
}

const send = fc.record({
  at: fc.integer({ min: NOW - 10 * DAY, max: NOW + DAY }).map((ms) => new Date(ms).toISOString()),
  journey: fc.constantFrom('a', 'b'),
  template: fc.constantFrom('t1', 't2', 't3'),
  channel: fc.constant('email'),
});

describe('pruneSends, for every history of sends', () => {
  it('keeps what the rule keeps, in order, whether the history is sorted, short, old or not', () => {
    fc.assert(
      fc.property(fc.array(send, { maxLength: SEND_HISTORY_LIMIT + 30 }), fc.boolean(), (sends, sorted) => {
        const ordered = sorted ? [...sends].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)) : sends;
        const contact = { ...EMPTY_CONTACT, sends: ordered };
        expect(pruneSends(contact, new Date(NOW))).toEqual(pruneByTheRule(contact, new Date(NOW)));
      }),
      { numRuns: 1000 },
    );
  });
});
