import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect } from 'vitest';
import {
  createLinkSigner,
  parseEvent,
  signUnsubscribeToken,
  type TactfulEvent,
  type UnsubscribeToken,
} from '@tactful/events';
import { test, type KafkaFixture } from '@tactful/testing';
import { eventsInTopic, startForTest, stopGateways } from './test-kit';

// The links of emails on a real gateway and a real Kafka: what one click, the page's choices, a repeat,
// an altered token and a test copy's token write to N.events.

afterEach(stopGateways);

const signer = createLinkSigner(randomBytes(32).toString('hex'));
const NOW = new Date('2026-11-23T10:00:00Z');
const token = (over: Partial<UnsubscribeToken> = {}) =>
  signUnsubscribeToken(signer, { customerId: 'cust-ann', commandId: 'cmd-0a1b2c', ...over });
const oneClick = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'List-Unsubscribe=One-Click',
};
const choose = (body: string) => ({ ...oneClick, body });

async function start(kafka: KafkaFixture, topicsLeft: readonly string[] = []) {
  const [topic] = await kafka.createTopics(['events'], 1);
  const running = await startForTest(kafka.kafka, kafka.namespace, {
    token: undefined,
    links: { signer, topicsLeft: async () => topicsLeft },
    now: () => NOW,
  });
  const read = async (count: number): Promise<{ key: string; event: TactfulEvent }[]> =>
    (await kafka.readMessages(topic!, count)).map((m) => {
      const parsed = parseEvent(m.value!, m.key);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed));
      return { key: m.key!.toString(), event: parsed.event };
    });
  return { ...running, topic: topic!, read };
}

describe('POST /u/<token>, one click', () => {
  test('leaves the token’s topic, keeping the topics already left; a repeat is the same event', async ({
    kafka,
  }) => {
    const gw = await start(kafka, ['offers']);
    const link = `${gw.url}/u/${token({ topic: 'newsletter' })}`;
    const first = await fetch(link, oneClick);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(link, oneClick)).status).toBe(200);
    const [a, b] = await gw.read(2);
    expect(a!.key).toBe('cust-ann');
    expect(a!.event).toMatchObject({
      type: 'contact.preferences_updated',
      subject: 'cust-ann',
      source: 'tactful/gateway',
      data: { topicsOptedOut: ['newsletter', 'offers'] },
    });
    // the same id: the orchestrator drops the repeat
    expect(b!.event.id).toBe(a!.event.id);
    expect(await gw.metrics.registry.metrics()).toContain(
      'tactful_unsubscribes_total{via="one_click",effect="topic"} 2',
    );
  });

  test('a token without a topic opts out of all email', async ({ kafka }) => {
    const gw = await start(kafka);
    expect((await fetch(`${gw.url}/u/${token()}`, oneClick)).status).toBe(200);
    const [message] = await gw.read(1);
    expect(message!.event).toMatchObject({ type: 'contact.opted_out', data: { channel: 'email' } });
  });

  test('an altered, foreign or made-up token gets 400 and publishes nothing; a test copy’s publishes nothing', async ({
    kafka,
  }) => {
    const gw = await start(kafka);
    const good = token({ topic: 'newsletter' });
    const altered = `${good.slice(0, 3)}${good[3] === 'a' ? 'b' : 'a'}${good.slice(4)}`;
    const foreign = signUnsubscribeToken(createLinkSigner(randomBytes(32).toString('hex')), {
      customerId: 'cust-ann',
      commandId: 'cmd-0a1b2c',
    });
    for (const bad of [altered, foreign, 'not-a-token', 'x'.repeat(60)]) {
      expect((await fetch(`${gw.url}/u/${bad}`, oneClick)).status, bad).toBe(400);
      expect((await fetch(`${gw.url}/u/${bad}`)).status, bad).toBe(400);
    }
    expect((await fetch(`${gw.url}/u/${token({ test: true })}`, oneClick)).status).toBe(200);
    // a GET (a mail scanner following the link) changes nothing either
    expect((await fetch(`${gw.url}/u/${good}`)).status).toBe(200);
    expect(await eventsInTopic(kafka, gw.topic)).toBe(0);
    expect(await gw.metrics.registry.metrics()).toContain(
      'tactful_unsubscribes_total{via="one_click",effect="test"} 1',
    );
  });
});

describe('the preference page', () => {
  test('offers the topic, all email and a pause; each choice publishes its event and confirms', async ({
    kafka,
  }) => {
    const gw = await start(kafka);
    const link = `${gw.url}/u/${token({ topic: '<b>news</b>' })}`;
    const page = await fetch(link);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('&#60;b&#62;news&#60;/b&#62;');
    expect(html).not.toContain('<b>news</b>');
    expect(html).not.toContain('<script');

    const paused = await fetch(link, choose('choice=pause&until=2026-12-24'));
    expect(paused.status).toBe(200);
    expect(await paused.text()).toContain('We will send you nothing until 2026-12-24.');
    for (const bad of ['choice=pause&until=2026-11-23', 'choice=pause&until=2026-02-30', 'choice=later'])
      expect((await fetch(link, choose(bad))).status, bad).toBe(400);
    expect((await fetch(link, choose('choice=all'))).status).toBe(200);
    const [pause, all] = await gw.read(2);
    expect(pause!.event).toMatchObject({
      type: 'contact.preferences_updated',
      data: { doNotContactUntil: '2026-12-24' },
    });
    expect(all!.event).toMatchObject({ type: 'contact.opted_out', data: { channel: 'email' } });
    expect(await eventsInTopic(kafka, gw.topic)).toBe(2);
  });
});
