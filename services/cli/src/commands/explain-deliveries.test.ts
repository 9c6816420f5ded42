import { describe, expect, it } from 'vitest';
import { renderDelivery } from './explain-render';

describe('tactful explain: the dispatcher’s deliveries', () => {
  const at = Date.parse('2026-11-23T10:00:02Z');
  it.each([
    [
      {
        commandId: 'cmd-aa',
        state: 'delivered',
        template: 'wp-welcome',
        messageId: '<cmd-aa@tactful>',
        at,
      } as const,
      '2026-11-23T10:00:02.000Z  ✉ delivered  wp-welcome  <cmd-aa@tactful>',
    ],
    [
      { commandId: 'cmd-bb', state: 'suppressed', template: 'wp-checkin', code: 'halted', at } as const,
      '2026-11-23T10:00:02.000Z  ✗ suppressed  wp-checkin  command cmd-bb (halted)',
    ],
    [
      {
        commandId: 'cmd-cc',
        state: 'uncertain',
        template: 'wp-checkin',
        code: 'delivery_uncertain',
        at,
      } as const,
      '2026-11-23T10:00:02.000Z  ✗ uncertain  wp-checkin  command cmd-cc (delivery_uncertain)',
    ],
    [
      {
        commandId: 'cmd-dd',
        state: 'sending',
        phase: 'claimed',
        owner: 'host/1/ab',
        leaseUntil: at,
        template: 'wp-welcome',
        attempts: 2,
      } as const,
      'in flight      ⋯ claimed    wp-welcome  command cmd-dd (attempt 2, lease until 2026-11-23T10:00:02.000Z)',
    ],
  ])('%j', (view, line) => {
    expect(renderDelivery(view)).toBe(line);
  });
});
