import { createHash } from 'node:crypto';
import type { TactfulEvent } from '@tactful/events';
import type { ReplyRoute } from '@tactful/store-redis';

/**
 * The CloudEvents `source` of the `email.replied` events of reply capture. It stays the dispatcher's, as
 * when the dispatcher ran reply capture: consumers that filter on it see the same events.
 */
export const REPLY_SOURCE = 'tactful/dispatcher';

// Long enough for any reply a person writes; the event must stay well under Kafka's 1 MiB.
export const MAX_REPLY_TEXT_CHARS = 64 * 1024;

/** Pure. The id of the `email.replied` of one reply: the same when the sending server delivers it again. */
export function replyEventId(commandId: string, messageId: string | undefined, text: string): string {
  const origin = messageId ?? `text:${text}`;
  return `rpl-${createHash('sha256').update(`${commandId}\u0000${origin}`).digest('hex').slice(0, 32)}`;
}

/** What reply capture keeps of one received message. */
export interface ReceivedReply {
  /** The message's `Message-ID`, when it has one. */
  readonly messageId: string | undefined;
  /** The new text of the reply (`newReplyText`), cut to `MAX_REPLY_TEXT_CHARS`. */
  readonly text: string;
  readonly at: Date;
}

/**
 * Pure. The `email.replied` of one message for each command it answers (one per accepted recipient),
 * keyed by the route's customer; the template lets the orchestrator count replies per template.
 */
export function replyEvents(routes: ReadonlyMap<string, ReplyRoute>, reply: ReceivedReply): TactfulEvent[] {
  const time = reply.at.toISOString();
  return [...routes].map(([commandId, route]): TactfulEvent => ({
    specversion: '1.0',
    id: replyEventId(commandId, reply.messageId, reply.text),
    source: REPLY_SOURCE,
    type: 'email.replied',
    subject: route.customerId,
    time,
    datacontenttype: 'application/json',
    data: { commandId, template: route.template, text: reply.text },
  }));
}
