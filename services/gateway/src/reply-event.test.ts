import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '@tactful/events';
import { replyEventId, replyEvents } from './reply-event';

const commandId = fc.stringMatching(/^cmd-[0-9a-f]{32}$/);

describe('reply events', () => {
  it('have the same id when the same message is delivered again, and another for another command or message', () => {
    fc.assert(
      fc.property(commandId, commandId, fc.string(), fc.string(), fc.string(), (a, b, m1, m2, text) => {
        expect(replyEventId(a, m1, text)).toBe(replyEventId(a, m1, text));
        if (a !== b) expect(replyEventId(a, m1, text)).not.toBe(replyEventId(b, m1, text));
        if (m1 !== m2) expect(replyEventId(a, m1, text)).not.toBe(replyEventId(a, m2, text));
      }),
    );
  });

  it('without a Message-ID, derive the id from the text', () => {
    expect(replyEventId('cmd-1', undefined, 'yes')).toBe(replyEventId('cmd-1', undefined, 'yes'));
    expect(replyEventId('cmd-1', undefined, 'yes')).not.toBe(replyEventId('cmd-1', undefined, 'no'));
  });

  it('are one valid email.replied per command, keyed by its customer', () => {
    const routes = new Map([
      ['cmd-a', { customerId: 'ann', journey: 'j', template: 't1' }],
      ['cmd-b', { customerId: 'bob', journey: 'j', template: 't2' }],
    ]);
    const events = replyEvents(routes, {
      messageId: '<m@x>',
      text: 'No thanks',
      at: new Date('2026-11-23T10:00:00Z'),
    });
    expect(events.map((e) => [e.subject, e.data])).toEqual([
      ['ann', { commandId: 'cmd-a', template: 't1', text: 'No thanks' }],
      ['bob', { commandId: 'cmd-b', template: 't2', text: 'No thanks' }],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'email.replied', source: 'tactful/dispatcher' });
      expect(parseEvent(Buffer.from(JSON.stringify(event)), event.subject).ok).toBe(true);
    }
  });
});
