import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { createLogger } from './logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON with the service name and redacts personal data at any depth we log', () => {
    const out = capture();
    const logger = createLogger({ name: 'orchestrator', level: 'info' }, out.stream);
    logger
      .child({ component: 'consumer' })
      .info(
        { customerId: 'cust-42', event: { data: { email: 'ann@example.com', text: 'no thanks' } } },
        'handled',
      );
    const [line] = out.lines();
    expect(line).toMatchObject({
      service: 'orchestrator',
      component: 'consumer',
      customerId: 'cust-42',
      msg: 'handled',
    });
    const serialized = JSON.stringify(line);
    expect(serialized).not.toContain('ann@example.com');
    expect(serialized).not.toContain('no thanks');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ name: 't', level: 'warn' }, out.stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});

describe('redaction', () => {
  it('keeps the names of errors and redacts the names of people', () => {
    const out = capture();
    const logger = createLogger({ name: 'orchestrator', level: 'info' }, out.stream);
    const err = new TactfulError('internal', 'the state could not be read', {
      cause: new RangeError('Maximum call stack size exceeded'),
    });
    logger.error({ err, customerId: 'cust-42' }, 'failed');
    logger.error({ error: TactfulError.retriable('redis.unavailable', 'away') }, 'failed');
    logger.info(
      {
        data: { name: 'Ann Example' },
        profile: { name: 'Ann Example' },
        event: { data: { name: 'Ann Example' } },
        command: { data: { name: 'Ann Example' } },
        state: { profile: { name: 'Ann Example' } },
      },
      'logged a person',
    );
    const [first, second, third] = out.lines();
    expect(first?.['err']).toMatchObject({ name: 'TactfulError', code: 'internal' });
    expect(String((first?.['err'] as { stack?: unknown }).stack)).toContain('caused by: RangeError');
    expect(second?.['error']).toMatchObject({ name: 'TactfulError', code: 'redis.unavailable' });
    expect(JSON.stringify(third)).not.toContain('Ann Example');
  });
});
