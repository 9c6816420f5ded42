import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { EXAMPLE_EVENTS } from './examples';
import { parseEvent } from './parse-event';
import { createPublisher, InvalidEventsError } from './publisher';
import type { TactfulEvent } from './tactful-event';

const kinds = [
  EXAMPLE_EVENTS['form.submitted'],
  EXAMPLE_EVENTS['page.viewed'],
  EXAMPLE_EVENTS['email.opened'],
];
const eventAt = (i: number): TactfulEvent => ({
  ...kinds[i % kinds.length]!,
  id: `evt-${i}`,
  subject: `cust-${i % 17}`,
});

describe('createPublisher against the broker', () => {
  test('1,000 events round trip: keyed by customer, valid bytes, in order per customer', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 3);
    // small batches, so the round trip also covers a publish split over several produce calls
    const publisher = createPublisher({
      namespace: kafka.namespace,
      brokers: kafka.brokers,
      maxBatchEvents: 150,
    });
    const events = Array.from({ length: 1000 }, (_, i) => eventAt(i));
    try {
      const { ids } = await publisher.publish(events);
      expect(ids).toEqual(events.map((e) => e.id));
    } finally {
      await publisher.close();
    }

    const messages = await kafka.readMessages(topic!, events.length);
    const read = messages.map((m) => {
      const parsed = parseEvent(m.value, m.key);
      if (!parsed.ok) throw new Error(`read back an invalid event: ${parsed.rejection.message}`);
      expect(m.key?.toString()).toBe(parsed.event.subject);
      expect(m.headers?.['content-type']?.toString()).toMatch(/^application\/cloudevents\+json/);
      return parsed.event;
    });
    expect(read).toHaveLength(events.length);
    for (let c = 0; c < 17; c++) {
      const subject = `cust-${c}`;
      expect(read.filter((e) => e.subject === subject)).toEqual(events.filter((e) => e.subject === subject));
    }
  });

  test('a batch with one invalid event sends nothing', async ({ kafka }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const publisher = createPublisher({ namespace: kafka.namespace, brokers: kafka.brokers });
    try {
      const bad = { ...eventAt(1), data: { url: 'not a url' } } as unknown as TactfulEvent;
      await expect(publisher.publish([eventAt(0), bad, eventAt(2)])).rejects.toBeInstanceOf(
        InvalidEventsError,
      );
      await expect(publisher.publish(EXAMPLE_EVENTS['timer.fired'])).rejects.toMatchObject({
        code: 'event.invalid',
      });
      // a marker sent afterwards is the only message: had anything of the refused batch been written, it
      // would come first
      await publisher.publish({ ...eventAt(3), id: 'marker' });
    } finally {
      await publisher.close();
    }
    const messages = await kafka.readMessages(topic!, 1);
    expect(messages.map((m) => JSON.parse(m.value!.toString()).id)).toEqual(['marker']);
    const end = await kafka.admin.fetchTopicOffsets(topic!);
    expect(end[0]?.high).toBe('1');
  });
});
