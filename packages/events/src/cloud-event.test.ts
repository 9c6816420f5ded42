import { CloudEvent } from 'cloudevents';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEvent, STRUCTURED_CONTENT_TYPE, toCloudEvent } from './cloud-event';
import { anyEventArb } from './event-arbitraries';
import { EVENT_TYPES } from './event-types';
import { EXAMPLE_EVENTS } from './examples';
import { URI_REFERENCE_PATTERN } from './fields';
import { parseEvent, validateEvent } from './parse-event';

const form = EXAMPLE_EVENTS['form.submitted'];

describe('encodeEvent', () => {
  it('keys the message by the subject and writes the structured JSON envelope', () => {
    const message = encodeEvent(form);
    expect(message.key).toBe('cust-42');
    expect(JSON.parse(message.value)).toEqual(form);
    expect(message.headers['content-type']).toBe(STRUCTURED_CONTENT_TYPE);
    expect(parseEvent(message.value, message.key)).toEqual({ ok: true, event: form });
  });
});

describe('toCloudEvent', () => {
  it.each(EVENT_TYPES)('gives the SDK object of %s, attributes and data intact', (type) => {
    const event = EXAMPLE_EVENTS[type];
    const cloudEvent = toCloudEvent(event);
    expect(cloudEvent).toBeInstanceOf(CloudEvent);
    expect(cloudEvent.id).toBe(event.id);
    expect(cloudEvent.subject).toBe(event.subject);
    expect(cloudEvent.data).toEqual(event.data);
  });
});

// The SDK as an oracle: our envelope must never accept what the CloudEvents SDK would refuse.
describe('the envelope is at least as strict as the cloudevents SDK', () => {
  it('the SDK accepts every event validateEvent accepts', () => {
    fc.assert(
      fc.property(anyEventArb, (event) => {
        expect(validateEvent(event, { allowInternal: true }).ok).toBe(true);
        expect(() => new CloudEvent(event)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('the SDK accepts every source our URI-reference rule accepts', () => {
    const chars = [...'aZ09-._~!$&\'()*+,;=:@/?#[]% "<>\\^`{|}'].concat(['%2F', '%zz']);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 24 }), (source) => {
        if (!URI_REFERENCE_PATTERN.test(source)) return;
        expect(() => new CloudEvent({ ...form, source })).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  // Why the envelope is not validated by the SDK: it invents what is missing instead of refusing it,
  // and an invented id would make a redelivered duplicate look like a new event.
  it('the SDK invents a missing id and time, where validateEvent refuses them', () => {
    const { id: _id, time: _time, ...bare } = form;
    const cloudEvent = new CloudEvent(bare);
    expect(cloudEvent.id).not.toBe('');
    expect(cloudEvent.time).not.toBe(undefined);
    expect(validateEvent(bare)).toMatchObject({ ok: false, rejection: { reason: 'schema_violation' } });
  });
});
