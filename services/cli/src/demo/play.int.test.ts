import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { test } from '@tactful/testing';
import { playDemo } from './play';

// The README's main command plays these stories; this keeps what it prints true.
test('the demo plays every story and says what each person got and why', async ({ servers }) => {
  const mailDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-demo-mail-'));
  const lines: string[] = [];
  const code = await playDemo({
    env: { KAFKA_BROKERS: servers.kafkaBrokers.join(','), REDIS_URL: servers.redisUrl, LOG_LEVEL: 'silent' },
    // long enough that a step's settling on a loaded machine ends before the journey waits it precedes
    wait: 'PT3S',
    keep: false,
    write: (text) => lines.push(text),
    mailDir,
  });
  const out = lines.join('\n');
  expect(code).toBe(0);
  const sentTo = (person: string) => new RegExp(`^  ${person}: sent (.*)$`, 'm').exec(out)?.[1];
  expect(sentTo('ann')).toBe('wp-welcome');
  expect(sentTo('ben')).toBe('wp-welcome, wp-checkin');
  expect(sentTo('cleo')).toBe('inquiry-answer');
  expect(sentTo('dev')).toBe('lisbon-guide, local-tips, welcome-back');
  expect(sentTo('eli')).toBe('service-welcome, service-reminder');
  expect(sentTo('fin')).toBe('test-drive-thanks');
  expect(sentTo('gia')).toBe('newsletter-2026-11');
  expect(sentTo('hal')).toBe('newsletter-2026-11, newsletter-2026-12');
  // the answer first, then as much marketing as the day's budget of three leaves
  const ivy = sentTo('ivy')?.split(', ') ?? [];
  expect(ivy[0]).toBe('inquiry-answer');
  expect(ivy.filter((t) => !t.startsWith('inquiry-'))).toHaveLength(2);
  // the mail itself: a marketing email with its unsubscribe link, a transactional one without
  expect(out).toMatch(
    /✉ "The November letter" to gia@example\.com\n(.*\n)*? +unsubscribe: http:\/\/127\.0\.0\.1:\d+\/u\/[0-9a-z]+/,
  );
  expect(out).toMatch(/✉ "Re: Saturday test drive" to ivy@example\.com\n(.*\n)*? +unsubscribe: none/);
  const written = await fs.readdir(mailDir, { recursive: true });
  expect(written).toEqual(expect.arrayContaining([expect.stringMatching(/gia-newsletter-2026-11\.html$/)]));
  expect(out).toMatch(/deferred +dealer-test-drive trade-in-offer .*2036-01-01/);
  expect(out).toMatch(/halted +newsletter .*opted out/);
  await fs.rm(mailDir, { recursive: true });
}, 180_000);
