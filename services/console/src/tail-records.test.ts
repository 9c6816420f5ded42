import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from '@tactful/kafka';
import { deadLetterEntry, decisionRecord } from './tail-records';

const message = (over: Partial<KafkaMessage>): KafkaMessage =>
  ({
    key: null,
    value: null,
    timestamp: '1795000000000',
    attributes: 0,
    offset: '3',
    headers: {},
    ...over,
  }) as KafkaMessage;

describe('deadLetterEntry', () => {
  it('reads the reason and the source from the tactful-* headers, not the content', () => {
    const entry = deadLetterEntry(
      message({
        key: Buffer.from('cust-1'),
        value: Buffer.from('{not json'),
        headers: {
          'tactful-error': Buffer.from('invalid_json'),
          'tactful-error-message': Buffer.from('not valid JSON (at position 1)'),
          'tactful-source-topic': Buffer.from('ns.events'),
          'tactful-source-partition': Buffer.from('2'),
          'tactful-source-offset': Buffer.from('41'),
        },
      }),
    );
    expect(entry).toEqual({
      key: 'cust-1',
      reason: 'invalid_json',
      message: 'not valid JSON (at position 1)',
      path: null,
      sourceTopic: 'ns.events',
      sourcePartition: 2,
      sourceOffset: '41',
      at: new Date(1795000000000).toISOString(),
      bytes: 9,
    });
  });

  it('leaves out what a writer did not say', () => {
    expect(deadLetterEntry(message({}))).toMatchObject({ key: null, reason: null, sourcePartition: null });
  });

  it('gives the original size of a copy written without its value', () => {
    const entry = deadLetterEntry(
      message({
        headers: {
          'tactful-error': Buffer.from('too_large'),
          'tactful-dropped': Buffer.from('value'),
          'tactful-original-bytes': Buffer.from('1200000'),
        },
      }),
    );
    expect(entry).toMatchObject({ reason: 'too_large', bytes: 1_200_000 });
  });
});

describe('decisionRecord', () => {
  it('parses an audit record and says why another message is not one', () => {
    const record = {
      customerId: 'ann',
      at: '2026-11-23T10:00:00.000Z',
      decision: 'halted',
      journey: 'whitepaper-nurture',
      reason: 'email.replied halts it',
    };
    expect(decisionRecord(message({ value: Buffer.from(JSON.stringify(record)) }))).toEqual({
      ok: true,
      record,
    });
    expect(decisionRecord(message({ value: Buffer.from('nope') }))).toMatchObject({ ok: false });
    expect(decisionRecord(message({ value: Buffer.from('{"customerId":"x"}') }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/decision/),
    });
  });
});
