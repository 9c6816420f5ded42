import { z } from 'zod';
import { TactfulError } from './errors';

// Kafka topic names are at most 249 characters of [a-zA-Z0-9._-]. The namespace is the prefix of every
// topic, consumer group and Redis key, so it is held to the topic rule, leaving room for the longest
// suffix (".commands").
const LONGEST_SUFFIX = '.commands';
const MAX_TOPIC_LENGTH = 249;

/** The default namespace (`TACTFUL_NAMESPACE`). */
export const DEFAULT_NAMESPACE = 'tactful';

/** A namespace: 1 to 240 of the characters Kafka allows in a topic name (`a-z A-Z 0-9 . _ -`). */
export const Namespace = z
  .string()
  .min(1)
  .max(MAX_TOPIC_LENGTH - LONGEST_SUFFIX.length)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-" (Kafka topic rules)');
export type Namespace = z.infer<typeof Namespace>;

/** The four topics of a deployment (CONTRACT.md section 2). */
export interface Topics {
  /** CloudEvents in, key = customer id. */
  readonly events: string;
  /** Commands out (`email.send`), key = customer id. */
  readonly commands: string;
  /** Rejected messages, original key and bytes, with `tactful-*` headers. */
  readonly dlq: string;
  /** Decision records, key = customer id. */
  readonly audit: string;
}

/** Pure. The topics of `namespace`; throws `config.invalid` if the namespace is not a legal prefix. */
export function topicsFor(namespace: string): Topics {
  const ns = checkNamespace(namespace);
  return {
    events: `${ns}.events`,
    commands: `${ns}.commands`,
    dlq: `${ns}.dlq`,
    audit: `${ns}.audit`,
  };
}

/** The consumer groups of a deployment, one per reading service. */
export interface ConsumerGroups {
  /** Reads `N.events`, applies journeys and policy. */
  readonly orchestrator: string;
  /** Reads `N.events` for halting events only, so halts overtake the orchestrator's backlog. */
  readonly sentinel: string;
  /** Reads `N.commands` and delivers. */
  readonly dispatcher: string;
}

/** Pure. The consumer group names of `namespace` (`N.orchestrator`, ...); throws like `topicsFor`. */
export function consumerGroupsFor(namespace: string): ConsumerGroups {
  const ns = checkNamespace(namespace);
  return {
    orchestrator: `${ns}.orchestrator`,
    sentinel: `${ns}.sentinel`,
    dispatcher: `${ns}.dispatcher`,
  };
}

/** Headers on every `N.dlq` message (CONTRACT.md section 2). */
export const DLQ_HEADERS = {
  /** The rejection reason, e.g. `schema_violation`. */
  error: 'tactful-error',
  /** For people: what is wrong, without quoting the message's content. */
  errorMessage: 'tactful-error-message',
  /** Where, for `schema_violation` (`data.email`); absent when the reason has no path. */
  errorPath: 'tactful-error-path',
  sourceTopic: 'tactful-source-topic',
  sourcePartition: 'tactful-source-partition',
  sourceOffset: 'tactful-source-offset',
  /**
   * What the copy leaves out because the broker refused it as too large even compressed: `value`, or
   * `value,key,headers` (the original headers); absent on a whole copy.
   */
  dropped: 'tactful-dropped',
  /** With `tactful-dropped`: the size of the original value in bytes (decimal). */
  originalBytes: 'tactful-original-bytes',
  /** With `tactful-dropped`: the SHA-256 of the original value, lower-case hex, to find it elsewhere. */
  originalSha256: 'tactful-original-sha256',
} as const;

/**
 * Marks a message of `N.events` written by Tactful itself. The timer service sets it to `scheduler` on
 * every `timer.fired`, and the orchestrator applies a `timer.fired` only with it (else `internal_type`).
 * A mark, not a signature: it keeps internal events typed or replayed by hand out, not a writer that
 * sets it on purpose.
 */
export const ORIGIN_HEADER = 'tactful-origin';
export const SCHEDULER_ORIGIN = 'scheduler';

/** Pure. Whether Kafka headers carry `tactful-origin: scheduler` (as kafkajs reads them: Buffers). */
export function fromScheduler(
  headers: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>> | undefined,
): boolean {
  const value = headers?.[ORIGIN_HEADER];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.length === 1 && values[0]!.toString() === SCHEDULER_ORIGIN;
}

function checkNamespace(namespace: string): Namespace {
  const result = Namespace.safeParse(namespace);
  if (!result.success) {
    const why = result.error.issues.map((issue) => issue.message).join('; ');
    throw new TactfulError('config.invalid', `invalid namespace ${JSON.stringify(namespace)}: ${why}`);
  }
  return result.data;
}
