import { encodeEvent, EXAMPLE_EVENTS, type TactfulEvent } from '@tactful/events';

// The bad messages of the burst: one of every kind N.events can be sent, each tagged with the header
// `x-fault-garbage` (kept on its dead-letter copy) and the reason it must be dead-lettered with.

export const GARBAGE_KINDS = [
  'invalid-json',
  'unknown-type',
  'schema-violation',
  'key-mismatch',
  'missing-key',
  'too-deep',
  'too-large-gzip',
  'forged-timer',
] as const;
export type GarbageKind = (typeof GARBAGE_KINDS)[number];

/** The `tactful-error` each kind must get in N.dlq. */
export const EXPECTED_REASON: Record<GarbageKind, string> = {
  'invalid-json': 'invalid_json',
  'unknown-type': 'unknown_type',
  'schema-violation': 'schema_violation',
  'key-mismatch': 'key_mismatch',
  'missing-key': 'missing_key',
  'too-deep': 'too_deep',
  'too-large-gzip': 'too_large',
  'forged-timer': 'internal_type',
};

/** A garbage message: key, value, headers; `gzip` when it must be produced compressed. */
export interface GarbageMessage {
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly gzip: boolean;
}

/** 5,000 levels of arrays: far past the 64 the decoder allows, deep enough to break a naive recursion. */
const DEEP = '['.repeat(5000) + ']'.repeat(5000);
/** Just over the 1 MiB limit as JSON, a few kB once gzip-compressed, so the broker takes it whole. */
const PADDING = 'x'.repeat(1_100_000);

function viewed(id: string, customer: string): TactfulEvent {
  return {
    specversion: '1.0',
    id,
    source: 'faults/garbage',
    type: 'page.viewed',
    subject: customer,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { url: 'https://shop.example.com/p/travel-adapter' },
  };
}

/** Pure. The `n`-th garbage message of `kind`, about `customer`. */
export function garbageMessage(kind: GarbageKind, customer: string, n: number): GarbageMessage {
  const id = `garbage-${kind}-${n}`;
  const valid = encodeEvent(viewed(id, customer));
  const headers = { 'x-fault-garbage': kind };
  const plain = (key: string | null, value: string): GarbageMessage => ({ key, value, headers, gzip: false });
  switch (kind) {
    case 'invalid-json':
      return plain(customer, `{"specversion":"1.0","id":"${id}","type":`);
    case 'unknown-type':
      return plain(customer, valid.value.replace('"page.viewed"', '"thing.happened"'));
    case 'schema-violation':
      return plain(customer, valid.value.replace('"url":', '"link":'));
    case 'key-mismatch':
      return plain(`${customer}-other`, valid.value);
    case 'missing-key':
      return plain(null, valid.value);
    case 'too-deep':
      return plain(customer, valid.value.replace('"data":{', `"data":{"extra":${DEEP},`));
    case 'too-large-gzip':
      return {
        ...plain(customer, valid.value.replace('"data":{', `"data":{"padding":"${PADDING}",`)),
        gzip: true,
      };
    case 'forged-timer':
      return plain(customer, JSON.stringify({ ...EXAMPLE_EVENTS['timer.fired'], id, subject: customer }));
    default: {
      const unknown: never = kind;
      throw new Error(`unknown garbage kind ${String(unknown)}`);
    }
  }
}
