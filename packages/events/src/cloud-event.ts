import { CloudEvent } from 'cloudevents';
import type { TactfulEvent } from './tactful-event';

/**
 * The `content-type` of a structured-mode CloudEvent (the CloudEvents Kafka and HTTP bindings), which
 * is how Tactful writes events: the whole envelope as the message value.
 */
export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** An event as a Kafka message of `N.events`, without depending on a Kafka client. */
export interface EncodedEvent {
  /** The customer id: every event of one customer goes to one partition. */
  readonly key: string;
  readonly value: string;
  readonly headers: { readonly 'content-type': string };
}

/**
 * Pure. The message that carries `event` on `N.events`: key = subject, value = the envelope as JSON.
 * It does not validate; give it what `validateEvent` returned. `parseEvent` reads it back unchanged.
 */
export function encodeEvent(event: TactfulEvent): EncodedEvent {
  return {
    key: event.subject,
    value: JSON.stringify(event),
    headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
  };
}

/**
 * Pure. The event as the `cloudevents` SDK's object, for its transport bindings (`HTTP.binary`,
 * `HTTP.structured`) when talking to systems that use the SDK. Two things to know: the SDK serializes
 * `time` in UTC with milliseconds (the same instant, spelled differently), and its readers
 * (`HTTP.toEvent`) invent an `id` and a `time` when they are missing, so a reader that uses them must
 * first check that the request carried both (`ce-id` and `ce-time` in binary mode), then pass the
 * result through `validateEvent`.
 * Throws the SDK's ValidationError only if the SDK disagrees with our schema, which the tests rule out
 * for every event that `validateEvent` accepts.
 */
export function toCloudEvent<E extends TactfulEvent>(event: E): CloudEvent<E['data']> {
  return new CloudEvent<E['data']>(event);
}
