import { describe, expect } from 'vitest';
import { eventually, test } from '@tactful/testing';
import { createReadBarrier } from './read-barrier';

describe('createReadBarrier on a real broker', () => {
  test('passes once the group has committed every message acknowledged before the call, not before', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['barrier'], 3);
    const groupId = `${kafka.namespace}.reader`;
    const barrier = createReadBarrier({ admin: kafka.admin, topic: topic!, groupId, roundTimeoutMs: 300 });

    // nothing written: nothing to read
    expect(await barrier.passed()).toBe(true);

    const producer = await kafka.producer();
    const send = (keys: string[]) =>
      producer.send({ topic: topic!, acks: -1, messages: keys.map((key) => ({ key, value: key })) });
    await send(['a', 'b', 'c', 'd', 'e', 'f']);
    // written, and no group has read it
    expect(await barrier.passed()).toBe(false);

    let open = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read: string[] = [];
    const consumer = kafka.consumer('reader');
    await consumer.connect();
    await consumer.subscribe({ topic: topic!, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (!open) await gate;
        for (const m of batch.messages) read.push(m.key!.toString());
      },
    });
    await eventually('the first messages read', () => (read.length === 6 ? true : undefined));
    await eventually('the barrier passing', async () => ((await barrier.passed()) ? true : undefined));

    // the reader stops at its next batch; one more message acknowledged: the barrier holds until it is read
    open = false;
    await send(['g']);
    expect(await barrier.passed()).toBe(false);
    release();
    // a round that timed out answers false and the caller asks again, as the dispatcher does
    await eventually('the barrier passing again', async () => ((await barrier.passed()) ? true : undefined));
    expect(read).toContain('g');
    await consumer.disconnect();
  });
});
