import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customerKeys,
  deliveryKeys,
  encodeCustomerId,
  parseTimerMember,
  replyRouteKey,
  shardKeys,
  timerMember,
} from './keys';

/** The hash tag as Redis Cluster reads it: the text between the first `{` and the first `}` after it. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

const anyId = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1 }),
  fc.stringMatching(/^[{}%:|a-z]{1,12}$/),
);

describe('key layout', () => {
  it('puts every key of a customer in its shard slot, whatever the customer id holds', () => {
    fc.assert(
      fc.property(anyId, fc.integer({ min: 0, max: 1023 }), (id, shard) => {
        const tags = [
          ...Object.values(customerKeys('tactful', shard, id)),
          ...Object.values(deliveryKeys('tactful', shard, id)),
          ...Object.values(shardKeys('tactful', shard)),
        ].map(hashTag);
        expect(new Set(tags)).toEqual(new Set([`s${shard}`]));
      }),
    );
  });

  it('keeps one brace pair per key: braces in an id are encoded', () => {
    expect(customerKeys('tactful', 17, 'a{b}c').record).toBe('tactful:{s17}:c:a%7Bb%7Dc:r');
    expect(encodeCustomerId('100%{x}')).toBe('100%25%7Bx%7D');
  });

  it('names the delivery keys as the dispatcher always stored them', () => {
    expect(deliveryKeys('tactful', 17, 'a{b}c')).toEqual({
      deliveries: 'tactful:{s17}:c:a%7Bb%7Dc:deliveries',
      templates: 'tactful:{s17}:c:a%7Bb%7Dc:delivered-templates',
      times: 'tactful:{s17}:c:a%7Bb%7Dc:delivery-times',
    });
    expect(replyRouteKey('tactful', 'cmd-1')).toBe('tactful:reply:cmd-1');
  });

  it('never gives two customers one key', () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        fc.pre(a !== b);
        const all = (id: string) => [
          ...Object.values(customerKeys('tactful', 3, id)),
          ...Object.values(deliveryKeys('tactful', 3, id)),
        ];
        const keysA = new Set(all(a));
        for (const key of all(b)) expect(keysA.has(key)).toBe(false);
      }),
    );
  });

  it('starts every key with the namespace, so a namespace can be listed and removed', () => {
    for (const key of [
      ...Object.values(customerKeys('t-1', 0, 'x')),
      ...Object.values(deliveryKeys('t-1', 0, 'x')),
      ...Object.values(shardKeys('t-1', 0)),
      replyRouteKey('t-1', 'cmd-1'),
    ])
      expect(key.startsWith('t-1:')).toBe(true);
  });

  it('round-trips timer index members for any ids, separators included', () => {
    const timerId = anyId.filter((id) => !id.includes('\u0000'));
    fc.assert(
      fc.property(anyId, timerId, (customerId, timer) => {
        expect(parseTimerMember(timerMember(customerId, timer))).toEqual({ customerId, timerId: timer });
      }),
    );
    for (const foreign of ['cust|timer', '["a","b"]', '\u0000c', 't\u0000'])
      expect(parseTimerMember(Buffer.from(foreign))).toBeNull();
  });
});
