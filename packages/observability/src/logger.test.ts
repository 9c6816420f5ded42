import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
