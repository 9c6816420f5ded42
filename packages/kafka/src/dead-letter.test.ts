import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dlqCopies, dlqHeaders } from './dead-letter';

describe('dlqHeaders', () => {
  const record = {
    sourceTopic: 'tactful.events',
    partition: 4,
    offset: '1207',
    key: 'cust-42',
    value: '{',
    reason: 'invalid_json',
    message: 'the value is not valid JSON (at position 1)',
  };

  it('keeps the original headers and adds the tactful-* ones of the contract', () => {
    expect(dlqHeaders({ ...record, headers: { traceparent: '00-abc-01', 'content-type': 'x' } })).toEqual({
      traceparent: '00-abc-01',
      'content-type': 'x',
      'tactful-error': 'invalid_json',
      'tactful-error-message': 'the value is not valid JSON (at position 1)',
      'tactful-source-topic': 'tactful.events',
      'tactful-source-partition': '4',
      'tactful-source-offset': '1207',
    });
  });

  it('replaces tactful-* headers a message already carried, so they describe this rejection', () => {
    const headers = dlqHeaders({
      ...record,
      reason: 'schema_violation',
      path: 'data.email',
      headers: { 'tactful-error': 'old', 'tactful-error-path': 'old.path', 'tactful-source-offset': '1' },
    });
    expect(headers['tactful-error']).toBe('schema_violation');
    expect(headers['tactful-error-path']).toBe('data.email');
    expect(headers['tactful-source-offset']).toBe('1207');
    const withoutPath = dlqHeaders({ ...record, headers: { 'tactful-error-path': 'old.path' } });
    expect(withoutPath).not.toHaveProperty('tactful-error-path');
  });
});

describe('dlqCopies', () => {
  const value = Buffer.from('{"type":"form.submitted"}');
  const record = {
    sourceTopic: 'tactful.events',
    partition: 1,
    offset: '9',
    key: 'cust-42',
    value,
    headers: { traceparent: '00-abc-01', 'tactful-dropped': 'stale' },
    reason: 'too_large',
    message: 'the value is 1200000 bytes, over the limit of 1048576',
  };
  const sha256 = createHash('sha256').update(value).digest('hex');

  it('tries the whole message, then without its value, then without its key and original headers too', () => {
    const [whole, noValue, bare, ...more] = dlqCopies(record);
    expect(more).toEqual([]);
    expect(whole).toMatchObject({ dropped: undefined, message: { key: 'cust-42', value } });
    expect(whole?.message.headers).not.toHaveProperty('tactful-dropped');
    expect(noValue).toMatchObject({
      dropped: 'value',
      message: {
        key: 'cust-42',
        value: null,
        headers: {
          traceparent: '00-abc-01',
          'tactful-error': 'too_large',
          'tactful-dropped': 'value',
          'tactful-original-bytes': String(value.byteLength),
          'tactful-original-sha256': sha256,
        },
      },
    });
    expect(bare?.message.key).toBeNull();
    expect(bare?.message.value).toBeNull();
    expect(bare?.message.headers).toEqual({
      'tactful-error': 'too_large',
      'tactful-error-message': record.message,
      'tactful-source-topic': 'tactful.events',
      'tactful-source-partition': '1',
      'tactful-source-offset': '9',
      'tactful-dropped': 'value,key,headers',
      'tactful-original-bytes': String(value.byteLength),
      'tactful-original-sha256': sha256,
    });
  });

  it('identifies a string value by its UTF-8 bytes, and a record without a value has one copy', () => {
    const [, noValue] = dlqCopies({ ...record, value: 'é' });
    expect(noValue?.message.headers?.['tactful-original-bytes']).toBe('2');
    expect(dlqCopies({ ...record, value: null })).toHaveLength(1);
  });
});
