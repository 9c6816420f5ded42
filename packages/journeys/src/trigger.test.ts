import { describe, expect, it } from 'vitest';
import { Trigger, triggerMatches } from './trigger';

describe('triggerMatches', () => {
  const trigger = Trigger.parse({
    event: 'form.submitted',
    where: { formId: 'wp-2026', 'fields.topic': 'pricing' },
  });

  it('starts on the event type with matching data, dotted paths included', () => {
    const data = { formId: 'wp-2026', email: 'ann@example.com', fields: { topic: 'pricing' } };
    expect(triggerMatches(trigger, { type: 'form.submitted', data })).toBe(true);
  });

  it('does not start on another type or other data', () => {
    expect(triggerMatches(trigger, { type: 'page.viewed', data: { formId: 'wp-2026' } })).toBe(false);
    expect(triggerMatches(trigger, { type: 'form.submitted', data: { formId: 'wp-2026' } })).toBe(false);
    expect(triggerMatches(trigger, { type: 'form.submitted' })).toBe(false);
  });

  it('starts on any data when there is no where', () => {
    expect(triggerMatches(Trigger.parse({ event: 'page.viewed' }), { type: 'page.viewed' })).toBe(true);
  });

  it('refuses internal and unknown event types', () => {
    expect(Trigger.safeParse({ event: 'timer.fired' }).error?.issues[0]?.message).toMatch(/internal/);
    expect(Trigger.safeParse({ event: 'form.sent' }).error?.issues[0]?.message).toMatch(/unknown event type/);
  });
});
