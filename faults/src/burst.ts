import type { Message } from 'kafkajs';
import { encodeEvent, type TactfulEvent } from '@tactful/events';
import { GARBAGE_KINDS, garbageMessage, type GarbageKind } from './garbage';
import { formSubmitted } from './scenario-events';

// The burst of the garbage scenario: `total` messages on N.events, in one stream, of which a share is
// garbage of every kind (equal numbers of each), the plan's form submissions are spread evenly, a share
// repeats an earlier valid event exactly (same id: a duplicate), and the rest are page views of other
// people. Messages are made as they are published, so the big ones never sit in memory together.

export interface BurstShape {
  readonly total: number;
  /** Share of garbage, e.g. 0.05. */
  readonly garbage: number;
  /** Share of exact repeats of earlier valid events, e.g. 0.01. */
  readonly duplicates: number;
  /** People the page views are spread over (none of them in the journey). */
  readonly viewers: number;
}

export type BurstItem =
  | { readonly kind: 'form'; readonly customer: string }
  | { readonly kind: 'view'; readonly n: number }
  | { readonly kind: 'repeat'; readonly n: number }
  | { readonly kind: 'garbage'; readonly garbage: GarbageKind; readonly n: number };

/** Pure. The order of the burst: what each of the `total` messages is. */
export function burstItems(shape: BurstShape, customers: readonly string[]): BurstItem[] {
  const garbage = Math.round(shape.total * shape.garbage);
  const repeats = Math.round(shape.total * shape.duplicates);
  const views = shape.total - garbage - repeats - customers.length;
  if (views < repeats) throw new Error(`a burst of ${shape.total} has no room for ${customers.length} forms`);
  const items: BurstItem[] = [];
  // interleave by rank: item i of a group of size k sits at (i + 0.5) / k of the stream
  const placed: { at: number; item: BurstItem }[] = [];
  const spread = (count: number, make: (i: number) => BurstItem): void => {
    for (let i = 0; i < count; i++) placed.push({ at: (i + 0.5) / count, item: make(i) });
  };
  spread(customers.length, (i) => ({ kind: 'form', customer: customers[i]! }));
  spread(views, (n) => ({ kind: 'view', n }));
  // a repeat of view n comes after it: views are spread over the whole stream, repeats over its second half
  for (let i = 0; i < repeats; i++)
    placed.push({ at: 0.5 + (i + 0.5) / (2 * repeats), item: { kind: 'repeat', n: i } });
  spread(garbage, (n) => ({ kind: 'garbage', garbage: GARBAGE_KINDS[n % GARBAGE_KINDS.length]!, n }));
  placed.sort((a, b) => a.at - b.at);
  for (const p of placed) items.push(p.item);
  return items;
}

export interface BurstContext {
  readonly namespace: string;
  readonly viewers: number;
}

function view(ctx: BurstContext, n: number): TactfulEvent {
  const customer = `viewer-${n % ctx.viewers}`;
  return {
    specversion: '1.0',
    id: `view-${ctx.namespace}-${n}`,
    source: 'faults/web',
    type: 'page.viewed',
    subject: customer,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { url: `https://shop.example.com/p/${n % 97}` },
  };
}

/** The Kafka message of one item, and whether it must be produced gzip-compressed. */
export function burstMessage(ctx: BurstContext, item: BurstItem): { message: Message; gzip: boolean } {
  switch (item.kind) {
    case 'form':
      return { message: encodeEvent(formSubmitted(ctx.namespace, item.customer)), gzip: false };
    case 'view':
    case 'repeat':
      return { message: encodeEvent(view(ctx, item.n)), gzip: false };
    case 'garbage': {
      const g = garbageMessage(item.garbage, `viewer-${item.n % ctx.viewers}`, item.n);
      return { message: { key: g.key, value: g.value, headers: g.headers }, gzip: g.gzip };
    }
    default: {
      const unknown: never = item;
      throw new Error(`unknown burst item ${JSON.stringify(unknown)}`);
    }
  }
}
