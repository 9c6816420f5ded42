import { afterEach, describe, expect } from 'vitest';
import { createLinkSigner, signUnsubscribeToken, type TactfulEvent } from '@tactful/events';
import { eventually, test } from '@tactful/testing';
import { launchChromium, type Browser } from './chromium';
import type { Stack } from './stack';
import {
  collect,
  LINK_SECRET,
  shortJourneys,
  startTestStack,
  writePolicy,
  type Collector,
} from './test-stack';

// The preference page of an email's link in a real browser, served by the gateway of `tactful run` on
// real Kafka: what a person sees, the choices they make with the page's forms (no script), and the
// opt-outs that reach N.events.

describe('the preference page in Chromium', () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let events: Collector | undefined;
  afterEach(async () => {
    await browser?.close();
    await events?.stop();
    await stack?.close();
    browser = stack = events = undefined;
  });

  test('leaves a topic, pauses until a date, and refuses an altered link', async ({
    kafka,
    servers,
    namespace,
  }) => {
    browser = await launchChromium();
    await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys('PT1H'),
      policy: await writePolicy(),
      services: ['gateway'],
    });
    events = await collect(kafka, kafka.topic('events'), 'events');
    const signer = createLinkSigner(LINK_SECRET);
    const link = (customerId: string) =>
      `${stack!.url}/u/${signUnsubscribeToken(signer, { customerId, commandId: 'cmd-0b1c2d', topic: 'newsletter' })}`;

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    // leave the topic
    expect((await page.goto(link('ann')))?.status()).toBe(200);
    expect(await page.textContent('#topic')).toBe('newsletter');
    expect(await page.locator('script').count()).toBe(0);
    await page.click('#leave-topic button');
    await page.waitForSelector('#confirmation');
    expect(await page.textContent('#confirmation')).toBe('You will get no more emails about newsletter.');

    // pause until a date, typed in the date field
    await page.goto(link('bob'));
    await page.fill('#until', '2099-01-31');
    await page.click('#pause button');
    await page.waitForSelector('#confirmation');
    expect(await page.textContent('#confirmation')).toBe('We will send you nothing until 2099-01-31.');

    // no script error and nothing the Content-Security-Policy refused
    expect(errors).toEqual([]);

    // an altered link: refused, nothing published
    const altered = link('cyd').replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await page.goto(altered))?.status()).toBe(400);
    expect(await page.textContent('#problem')).toContain('nothing was changed');

    const published = await eventually('two opt-outs on N.events', () => {
      const all = events!.json<TactfulEvent>();
      return all.length >= 2 ? all : undefined;
    });
    expect(published.map((e) => [e.subject, e.type, e.data])).toEqual([
      ['ann', 'contact.preferences_updated', { topicsOptedOut: ['newsletter'] }],
      ['bob', 'contact.preferences_updated', { doNotContactUntil: '2099-01-31' }],
    ]);
  });
});
