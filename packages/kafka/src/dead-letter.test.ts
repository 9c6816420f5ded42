import { describe, expect, it } from 'vitest';
import { dlqHeaders } from './dead-letter';

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
