import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { eventually, test } from '@tactful/testing';
import { launchChromium, type Browser } from './chromium';
import { summarisePng } from './png-colours';
import type { Stack } from './stack';
import { event, publish, shortJourneys, startTestStack, writePolicy } from './test-stack';

// The ops console in a real browser, on a real stack: what an operator sees, once logged in with the
// console token, after a few customers took the white paper, one of them replied, and a broken message
// reached N.events; and that no dispatcher may send while no halt sentinel runs.

const MARKUP_KEY = '<img src=x id=injected>';
const TOKEN = 'console-token-for-the-browser-test';

describe('the ops console in Chromium', () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let shots: string | undefined;
  afterEach(async () => {
    await browser?.close();
    await stack?.close();
    // TACTFUL_KEEP_SCREENSHOTS=1 keeps them to look at
    if (shots && process.env.TACTFUL_KEEP_SCREENSHOTS !== '1') await fs.rm(shots, { recursive: true });
    browser = stack = shots = undefined;
  });

  test('shows lag, journey counts and a journey’s report, decisions, dead letters, and one customer’s timeline', async ({
    kafka,
    servers,
    namespace,
  }) => {
    browser = await launchChromium();
    // created (with their leaders) before the stack starts, so the first publish finds every partition
    await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
    // waits of an hour: the customers stay in their first stage while the page is looked at
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys('PT1H'),
      policy: await writePolicy(),
      services: ['orchestrator', 'scheduler', 'console'],
      env: { TACTFUL_CONSOLE_TOKEN: TOKEN },
    });
    const form = (c: string) =>
      event('form.submitted', c, { formId: 'whitepaper-2026', email: `${c}@example.com`, name: c });
    await publish(kafka, [
      form('ann'),
      form('bob'),
      form('cyd'),
      event('email.replied', 'ann', { text: 'No thanks.' }),
    ]);
    const producer = await kafka.producer();
    await producer.send({
      topic: kafka.topic('events'),
      acks: -1,
      messages: [{ key: MARKUP_KEY, value: '{"specversion": "1.0", oops' }],
    });

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim();
    const until = (selector: string) => page.waitForSelector(selector, { timeout: 20_000 });
    // a lookup reads the customer's N.audit partition through a consumer group of its own, which a busy
    // broker can take seconds to join: wait for the page to finish looking (the reader gives up at 30 s and
    // the page then shows why), and compare what it shows
    const lookedUp = () =>
      eventually(
        'the customer lookup to finish',
        async () => {
          const shown = await text('#customer-result');
          return shown === undefined || shown === '' || shown.startsWith('looking up ') ? undefined : shown;
        },
        { timeoutMs: 45_000 },
      );

    // the page sends a visitor to the login form; a wrong token is refused, the right one lets them in
    await page.goto(`${stack.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button');
    await until('#login-failed:not([hidden])');
    expect(await page.context().cookies()).toEqual([]);
    await page.fill('#token', TOKEN);
    await page.click('#login-form button');
    await page.waitForURL(`${stack.url}/`);
    const [session] = await page.context().cookies();
    expect(session).toMatchObject({ name: 'tactful_console', httpOnly: true, sameSite: 'Strict' });
    expect(session?.value).not.toContain(TOKEN);
    // out of the reach of the page's scripts
    expect(await page.evaluate('document.cookie')).toBe('');
    // the refused login was answered 401, which the browser logs; from here on, nothing may fail
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
    errors.length = 0;

    expect(await page.title()).toBe('Tactful · ops console');
    expect(await page.locator('#logout-form').isVisible()).toBe(true);
    await eventually('the namespace in the header', async () =>
      (await text('#namespace')) === namespace ? true : undefined,
    );

    // no halt sentinel runs in this stack: the console says a dispatcher would hold every send
    await until('#halt-signals[data-current="false"]');
    expect(await text('#halt-signals')).toMatch(
      new RegExp(`^Sends held: the dispatcher waits for the halt sentinel \\(${namespace}\\.sentinel`),
    );

    // lag: the orchestrator's group, with its partitions, and a line in the chart
    await until(`#lag-groups tr[data-group="${namespace}.orchestrator"]`);
    expect(await text(`#lag-groups tr[data-group="${namespace}.orchestrator"] .status`)).toMatch(
      /^(OK|WARNING)$/,
    );
    expect(await page.locator('#lag-partitions tbody tr').count()).toBeGreaterThanOrEqual(3);
    await until(`#lag-groups tr[data-group="${namespace}.console"]`);
    // a flat line has no height, which Playwright calls hidden: attached is what is meant
    await page.waitForSelector(`#lag-chart svg polyline[data-series="${namespace}.orchestrator"]`, {
      state: 'attached',
      timeout: 20_000,
    });

    // journeys: three entered the white paper, one was halted by the reply, two wait in its first stage
    const row = '#journeys tr[data-journey="whitepaper-nurture"]';
    await eventually('the white paper counts', async () =>
      (await text(`${row} td[data-count="halted"]`)) === '1' ? true : undefined,
    );
    expect(await text(`${row} td[data-count="entered"]`)).toBe('3');
    expect(await text(`${row} td[data-count="active"]`)).toBe('2');
    expect(await text(`${row} td[data-count="completed"]`)).toBe('0');
    expect(await text(`${row} [data-stage="welcome"]`)).toBe('welcome: 2');

    // decisions: the halt of the customer who replied
    await until('#decisions tr[data-decision="halted"]');
    const halted = page.locator('#decisions tr[data-decision="halted"]');
    expect(await halted.count()).toBe(1);
    expect(await halted.locator('td').nth(1).textContent()).toBe('ann');
    expect(await halted.locator('td').nth(3).textContent()).toBe('whitepaper-nurture');

    // the journey's report, read from N.audit and N.events when its name is clicked, once the three
    // entries are on N.audit
    await eventually('the three entries on N.audit', async () =>
      (await page.locator('#decisions tr[data-decision="entered"]').count()) === 3 ? true : undefined,
    );
    expect(await text(`${row} td[data-count="converted"]`)).toBe('0');
    expect(await page.locator('#report-section').isVisible()).toBe(false);
    await page.click(`${row} button`);
    await until('#report tr[data-group="all"]');
    expect(await text('#report-title')).toMatch(/^whitepaper-nurture: from \d+ audit records and \d+ events/);
    expect(await text('#report tr[data-group="all"] td[data-count="entered"]')).toBe('3');
    expect(await text('#report tr[data-group="all"] td[data-count="converted"]')).toBe('0');
    expect(await text('#report tr[data-group="all"] td[data-count="rate"]')).toBe('0.0% (0.0–56.1)');
    expect(await text('#report-method')).toContain('Wilson');

    // dead letters: the broken message, with its reason and where it came from; its key shown as text
    const dead = '#dead-letters tr[data-reason="invalid_json"]';
    await until(dead);
    expect(await text(`${dead} td.key`)).toBe(MARKUP_KEY);
    expect(await text(dead)).toContain(`${namespace}.events[`);
    expect(await page.locator('#injected').count()).toBe(0);

    // a search for markup finds nobody, and says so in plain text
    await page.fill('#customer-id', MARKUP_KEY);
    await page.click('#customer-form button');
    expect(await lookedUp()).toBe(`${MARKUP_KEY}: never seen in this namespace`);
    expect(await page.locator('#injected').count()).toBe(0);

    // the customer search: the explain timeline of the one who replied
    await page.fill('#customer-id', 'ann');
    await page.click('#customer-form button');
    expect(await lookedUp()).toMatch(/^ann · /);
    await until('#customer-timeline tr[data-decision="halted"]');
    const timeline = await page
      .locator('#customer-timeline tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-decision')));
    expect(timeline).toEqual(['entered', 'sent', 'halted']);
    expect(await text('#customer-now')).toContain('left whitepaper-nurture v3: halted');
    expect(await text('#customer-now')).toContain('templates sent: wp-welcome');

    // the journey as its diagram, with live numbers: the welcome reached bob and cyd, bob opened it and
    // moved on to the case study; the diagram and the table say so, stage by stage
    await publish(kafka, [
      event('email.sent', 'bob', { commandId: 'cmd-bob', template: 'wp-welcome', messageId: '<b@x>' }),
      event('email.sent', 'cyd', { commandId: 'cmd-cyd', template: 'wp-welcome', messageId: '<c@x>' }),
      event('email.opened', 'bob', { template: 'wp-welcome' }),
    ]);
    const view = '#journey-views [data-journey="whitepaper-nurture"][data-version="3"]';
    const cell = (stage: string, count: string, template?: string) =>
      text(
        `${view} tr[data-stage="${stage}"]${template ? `[data-template="${template}"]` : ':not([data-template])'} td[data-count="${count}"]`,
      );
    await eventually('bob in the case study, in the journey view', async () =>
      (await cell('engaged', 'customers')) === '1' ? true : undefined,
    );
    expect(await cell('welcome', 'customers')).toBe('1');
    expect(await cell('checkIn', 'customers')).toBe('0');
    expect(await cell('welcome', 'sent', 'wp-welcome')).toBe('2');
    expect(await cell('welcome', 'opened', 'wp-welcome')).toBe('1 (50%)');
    expect(await cell('welcome', 'replied', 'wp-welcome')).toBe('0 (0%)');
    expect(await cell('engaged', 'sent', 'wp-case-study')).toBe('0');
    // the diagram is drawn again with the new numbers under each stage, as SVG text in the page
    const drawing = async () =>
      ((await page.locator(`${view} .journey-diagram[data-drawn] svg`).textContent()) ?? '').replace(
        /\s+/g,
        '',
      );
    await eventually('the diagram with the numbers', async () =>
      (await drawing()).includes('engaged✉sendwp-case-study1herenow') ? true : undefined,
    );
    const drawn = await drawing();
    expect(drawn).toContain('whitepaper-nurturev3:Whitepaperfollow-up');
    expect(drawn).toContain(
      'welcome✉sendwp-welcome1herenowwp-welcome:2sent·1opened(50%)·0clicked(0%)·0replied(0%)',
    );
    expect(drawn).toContain('checkIn✉sendwp-checkin0herenow');
    expect(drawn).toContain('email.opened');
    // Mermaid's styles reached the drawing through the CSSOM: its boxes are filled, not black
    const fill = await page
      .locator(`${view} .journey-diagram svg g.node rect`)
      .first()
      .evaluate((r) => r.ownerDocument.defaultView?.getComputedStyle(r).fill);
    expect(fill).toMatch(/^rgb\(/);
    expect(fill).not.toBe('rgb(0, 0, 0)');
    expect(errors).toEqual([]);

    // the screenshot shows a page, not a blank: far more colours and bytes than an empty page's
    shots = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-console-'));
    const shot = path.join(shots, 'console.png');
    await page.screenshot({ path: shot, fullPage: true });
    const blank = await browser.context.newPage();
    const empty = await blank.screenshot({ path: path.join(shots, 'blank.png') });
    const png = await fs.readFile(shot);
    const summary = summarisePng(png);
    expect(summarisePng(empty).colours).toBe(1);
    expect(summary.width).toBe(1280);
    expect(summary.height).toBeGreaterThan(900);
    expect(summary.colours).toBeGreaterThan(50);
    expect(png.length).toBeGreaterThan(10 * empty.length);
    if (process.env.TACTFUL_KEEP_SCREENSHOTS === '1') console.info(`console screenshot: ${shot}`);
  }, 180_000);
});
