import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEvent } from './cloud-event';
import { EXAMPLE_EVENTS } from './examples';
import { chunks, createPublisher, InvalidEventsError, messageBytes } from './publisher';
import type { TactfulEvent } from './tactful-event';

const form = EXAMPLE_EVENTS['form.submitted'];
const messages = (n: number) =>
  Array.from({ length: n }, (_, i) => encodeEvent({ ...form, id: `evt-${i}`, subject: `cust-${i % 7}` }));

describe('chunks', () => {
  it('splits by count and by bytes, keeping the order and every message', () => {
    const all = messages(25);
    const byCount = [...chunks(all, 10, Number.MAX_SAFE_INTEGER)];
    expect(byCount.map((c) => c.length)).toEqual([10, 10, 5]);
    const size = Buffer.byteLength(all[0]!.value) + 200;
    const byBytes = [...chunks(all, 1000, size * 4)];
    expect(byBytes.every((c) => c.length <= 4)).toBe(true);
    expect(byBytes.flat().map((m) => m.value)).toEqual(all.map((m) => m.value));
  });

  it('sends a message larger than the byte budget alone rather than dropping it', () => {
    expect([...chunks(messages(3), 10, 1)].map((c) => c.length)).toEqual([1, 1, 1]);
  });
});

describe('createPublisher', () => {
  it('refuses an invalid batch before connecting, naming each invalid event', async () => {
    // no broker answers on this port: the refusal must come from validation alone
    const publisher = createPublisher({ namespace: 'unit', brokers: ['127.0.0.1:1'] });
    const bad = { ...form, id: 'evt-bad', data: { formId: 'f' } };
    const batch = [form, bad, EXAMPLE_EVENTS['timer.fired']] as unknown as TactfulEvent[];
    const error = await publisher.publish(batch).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(InvalidEventsError);
    expect(error).toMatchObject({ code: 'event.invalid', retriable: false });
    const rejected = (error as InvalidEventsError).rejected;
    expect(rejected.map((r) => [r.index, r.id, r.reason])).toEqual([
      [1, 'evt-bad', 'schema_violation'],
      [2, 'timer-5b1d', 'internal_type'],
    ]);
    expect((error as Error).message).toMatch(/2 of 3 events are invalid, nothing was sent/);
    await publisher.close();
  });

  it('needs brokers or a client', () => {
    expect(() => createPublisher({ namespace: 'unit' })).toThrow(/brokers/);
  });
});

describe('chunks, for every list of messages and limits', () => {
  it('keeps every message in order, and each chunk within the limits unless one message alone exceeds them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 3000 }),
        (notes, maxEvents, maxBytes) => {
          const all = notes.map((note, i) =>
            encodeEvent({ ...form, id: `evt-${i}`, data: { ...form.data, note } } as TactfulEvent),
          );
          const out = [...chunks(all, maxEvents, maxBytes)];
          expect(out.flat().map((m) => m.value)).toEqual(all.map((m) => m.value));
          let next = 0;
          for (const chunk of out) {
            expect(chunk.length).toBeGreaterThan(0);
            expect(chunk.length).toBeLessThanOrEqual(maxEvents);
            const bytes = all.slice(next, next + chunk.length).reduce((sum, m) => sum + messageBytes(m), 0);
            if (chunk.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
            next += chunk.length;
          }
        },
      ),
    );
  });
});
