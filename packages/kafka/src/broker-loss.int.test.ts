import net from 'node:net';
import { Partitioners } from 'kafkajs';
import { afterEach, describe, expect } from 'vitest';
import { FAST_FAIL_RETRY, readMessages, startTcpProxy, test, type TcpProxy } from '@tactful/testing';
import { createKafkaClient } from './client';

// Every connection of this client goes through the proxy, whatever address the broker advertises, so
// cutting the proxy loses the broker for this client while the shared broker keeps serving other tests.
function clientThrough(proxy: TcpProxy, clientId: string) {
  return createKafkaClient({
    brokers: [proxy.address],
    clientId,
    retry: FAST_FAIL_RETRY,
    requestTimeoutMs: 5000,
    connectionTimeoutMs: 1000,
    socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect),
  });
}

describe('losing the broker mid-test', () => {
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
  });

  test('a produce fails with a clear connection error within seconds, not at the test timeout', async ({
    kafka,
    servers,
  }) => {
    const [topic] = await kafka.createTopics(['loss'], 1);
    proxy = await startTcpProxy(servers.kafkaBrokers[0]!);
    const producer = clientThrough(proxy, 'loss-producer').producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: FAST_FAIL_RETRY,
    });
    await producer.connect();
    await producer.send({ topic: topic!, messages: [{ key: 'k', value: 'before' }] });

    proxy.cut();
    const started = Date.now();
    const error = await producer.send({ topic: topic!, messages: [{ key: 'k', value: 'after' }] }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    const elapsed = Date.now() - started;
    expect(error, 'a send to a lost broker must fail').toBeInstanceOf(Error);
    expect(`${error?.name}: ${error?.message}`).toMatch(/connect|connection|closed|retries/i);
    console.log(`send failed after ${elapsed} ms with ${error?.name}: ${error?.message}`);
    expect(elapsed).toBeLessThan(30_000);
    // the message sent after the cut never reached the broker
    const stored = await kafka.readMessages(topic!, 1);
    expect(stored.map((m) => m.value?.toString())).toEqual(['before']);
  });

  test('a reader waiting for messages fails with the reason when the broker goes away', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const [topic] = await kafka.createTopics(['loss-read'], 1);
    const producer = await kafka.producer();
    await producer.send({ topic: topic!, messages: [{ key: 'k', value: 'first' }] });
    proxy = await startTcpProxy(servers.kafkaBrokers[0]!);
    const through = proxy;
    // the reader gets the first message, then waits for a second one while the broker is taken away
    const reading = readMessages(
      clientThrough(through, 'loss-reader'),
      `${namespace}.reader`,
      topic!,
      2,
      40_000,
      () => through.cut(),
    );
    await expect(reading).rejects.toThrow(/crashed|connect|connection|read 1 of 2/i);
  });
});
