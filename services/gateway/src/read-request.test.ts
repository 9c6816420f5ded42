import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_JSON_DEPTH, EXAMPLE_EVENTS } from '@tactful/events';
import { mediaType, readRequest } from './read-request';

const form = EXAMPLE_EVENTS['form.submitted'];
const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('readRequest', () => {
  it('reads one structured event', () => {
    expect(
      readRequest({ 'content-type': 'application/cloudevents+json; charset=utf-8' }, body(form)),
    ).toEqual({
      ok: true,
      mode: 'structured',
      values: [form],
    });
  });

  it('reads a batch, from the batch type or a plain JSON array', () => {
    const batch = [form, EXAMPLE_EVENTS['page.viewed']];
    for (const type of ['application/cloudevents-batch+json', 'application/json', 'Application/JSON']) {
      expect(readRequest({ 'content-type': type }, body(batch))).toEqual({
        ok: true,
        mode: 'batch',
        values: batch,
      });
    }
  });

  it('reads plain application/json holding one object as one event', () => {
    expect(readRequest({ 'content-type': 'application/json' }, body(form))).toMatchObject({
      mode: 'structured',
      values: [form],
    });
  });

  it('reads binary mode when ce-* headers come with a non-CloudEvents content type', () => {
    const headers = {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': form.id,
      'ce-source': form.source,
      'ce-type': form.type,
      'ce-subject': form.subject,
      'ce-time': form.time,
    };
    expect(readRequest(headers, body(form.data))).toEqual({
      ok: true,
      mode: 'binary',
      values: [{ ...form, datacontenttype: 'application/json' }],
    });
  });

  it('refuses binary mode without ce-id or ce-time instead of letting the SDK invent them', () => {
    const headers = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'evt-1' };
    expect(readRequest(headers, body(form.data))).toMatchObject({
      ok: false,
      status: 400,
      rejected: [{ index: 0, reason: 'schema_violation', path: 'time' }],
    });
  });

  it('answers a body that is not JSON with invalid_json, without quoting it', () => {
    const read = readRequest(
      { 'content-type': 'application/json' },
      Buffer.from('{"email": "ann@example.com"'),
    );
    expect(read).toMatchObject({ ok: false, status: 400, rejected: [{ index: 0, reason: 'invalid_json' }] });
    expect(JSON.stringify(read)).not.toContain('ann@example.com');
    expect(readRequest({ 'content-type': 'application/json' }, undefined)).toMatchObject({
      rejected: [{ reason: 'invalid_json', message: 'the request body is empty' }],
    });
    expect(readRequest({ 'content-type': 'application/json' }, Buffer.from([0xff, 0xfe]))).toMatchObject({
      rejected: [{ reason: 'invalid_json', message: 'the request body is not UTF-8' }],
    });
  });

  it("refuses a body nested past the events' depth limit plus the batch's array, as too_deep", () => {
    const nested = (levels: number) => Buffer.from('['.repeat(levels) + ']'.repeat(levels));
    const json = { 'content-type': 'application/json' };
    expect(readRequest(json, nested(DEFAULT_MAX_JSON_DEPTH + 1))).toMatchObject({ ok: true, mode: 'batch' });
    const deep = readRequest(json, nested(DEFAULT_MAX_JSON_DEPTH + 2));
    expect(deep).toMatchObject({ ok: false, status: 400, rejected: [{ index: 0, reason: 'too_deep' }] });
    expect(JSON.stringify(deep)).toContain(String(DEFAULT_MAX_JSON_DEPTH + 1));
  });

  it('refuses a batch type that does not hold an array', () => {
    expect(readRequest({ 'content-type': 'application/cloudevents-batch+json' }, body(form))).toMatchObject({
      ok: false,
      status: 400,
      rejected: [{ index: 0, id: form.id, reason: 'schema_violation' }],
    });
  });

  it('answers 415 for content that cannot carry events', () => {
    expect(readRequest({ 'content-type': 'text/plain' }, Buffer.from('hi'))).toMatchObject({
      ok: false,
      status: 415,
    });
    expect(readRequest({}, body(form))).toMatchObject({ ok: false, status: 415 });
  });
});

describe('mediaType', () => {
  it('drops parameters and case', () => {
    expect(mediaType('Application/CloudEvents+JSON ; charset=UTF-8')).toBe('application/cloudevents+json');
    expect(mediaType(undefined)).toBe('');
  });
});
