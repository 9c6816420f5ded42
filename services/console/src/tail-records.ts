import { AuditRecord, DLQ_HEADERS } from '@tactful/events';
import type { IHeaders, KafkaMessage } from '@tactful/kafka';

// What the console shows of the records it reads from the tails of `N.audit` and `N.dlq`.

/** A message of `N.dlq`, as ops read it: why it was refused and where it came from, never its content. */
export interface DeadLetterEntry {
  /** The original key as text (null when it had none). */
  key: string | null;
  /** The `tactful-error` reason code. */
  reason: string | null;
  /** `tactful-error-message`: what is wrong, written not to quote the content. */
  message: string | null;
  path: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  /** When it was dead-lettered (ISO 8601). */
  at: string;
  /** The size of the original value in bytes (`tactful-original-bytes` when the copy dropped it). */
  bytes: number;
}

function header(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
}

/** Pure. A message of `N.dlq` as an entry; every header is optional, as other writers may omit some. */
export function deadLetterEntry(message: KafkaMessage): DeadLetterEntry {
  const partition = header(message.headers, DLQ_HEADERS.sourcePartition);
  const originalBytes = header(message.headers, DLQ_HEADERS.originalBytes);
  return {
    key: message.key === null ? null : message.key.toString(),
    reason: header(message.headers, DLQ_HEADERS.error),
    message: header(message.headers, DLQ_HEADERS.errorMessage),
    path: header(message.headers, DLQ_HEADERS.errorPath),
    sourceTopic: header(message.headers, DLQ_HEADERS.sourceTopic),
    sourcePartition: partition === null || !/^\d+$/.test(partition) ? null : Number(partition),
    sourceOffset: header(message.headers, DLQ_HEADERS.sourceOffset),
    at: new Date(Number(message.timestamp)).toISOString(),
    bytes:
      originalBytes !== null && /^\d+$/.test(originalBytes)
        ? Number(originalBytes)
        : (message.value?.length ?? 0),
  };
}

/** Pure. A message of `N.audit` as a decision record, or why it is not one. */
export function decisionRecord(
  message: KafkaMessage,
): { ok: true; record: AuditRecord } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(message.value?.toString() ?? '');
  } catch (err) {
    if (err instanceof SyntaxError) return { ok: false, problem: `not JSON: ${err.message}` };
    throw err;
  }
  const parsed = AuditRecord.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  return { ok: true, record: parsed.data };
}
