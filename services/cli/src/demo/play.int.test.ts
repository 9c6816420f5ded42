import { expect } from 'vitest';
import { test } from '@tactful/testing';
import { playDemo } from './play';

// The README's main command plays these stories; this keeps what it prints true.
test('the demo plays every story and says what each person got and why', async ({ servers }) => {
  const lines: string[] = [];
  const code = await playDemo({
    env: { KAFKA_BROKERS: servers.kafkaBrokers.join(','), REDIS_URL: servers.redisUrl, LOG_LEVEL: 'silent' },
    wait: 'PT1S',
    keep: false,
    write: (text) => lines.push(text),
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
  expect(sentTo('ivy')?.split(', ')).toHaveLength(3);
  expect(out).toMatch(/deferred +dealer-test-drive trade-in-offer .*2036-01-01/);
  expect(out).toMatch(/halted +newsletter .*opted out/);
}, 120_000);
