/** A message as produced: key, value and string headers. */
export interface OutgoingMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a record costs in a produce request beyond its key, value and headers (lengths, offsets, crc). */
const RECORD_OVERHEAD_BYTES = 64;

/** Pure. About how many bytes a message takes in a produce request. */
export function messageBytes(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + RECORD_OVERHEAD_BYTES;
  for (const [name, value] of Object.entries(message.headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

/**
 * Pure. Splits messages into produce calls of at most `maxEvents` messages and about `maxBytes` bytes, in
 * order. The broker refuses a record batch over `message.max.bytes` (1 MiB by default), so anything that
 * produces an unbounded list (a CLI file, an outbox relay of a whole batch) goes through this.
 */
export function* chunks<M extends OutgoingMessage>(
  messages: readonly M[],
  maxEvents: number,
  maxBytes: number,
): Generator<{ key: string; value: string; headers: Record<string, string> }[]> {
  let chunk: { key: string; value: string; headers: Record<string, string> }[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (chunk.length > 0 && (chunk.length >= maxEvents || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push({ key: message.key, value: message.value, headers: { ...message.headers } });
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
