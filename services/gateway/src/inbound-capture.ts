import type { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import {
  oneClickChoice,
  parseReplyAddress,
  parseUnsubscribeAddress,
  unsubscribeEvent,
  type LinkSigner,
  type TactfulEvent,
  type UnsubscribeToken,
} from '@tactful/events';
import type { Publisher } from '@tactful/events/publisher';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import type { ReplyRoute, Store } from '@tactful/store-redis';
import { MAX_REPLY_TEXT_CHARS, REPLY_SOURCE, replyEvents } from './reply-event';
import { newReplyText } from './reply-text';

/** What reply capture reads and writes, besides where it listens. */
export interface CaptureDeps {
  /** `TACTFUL_REPLY_DOMAIN`: only `reply+<commandId>.<mac>@<this>` and the unsubscribe mailto are accepted. */
  readonly replyDomain: string;
  /** Checks the MAC of each address (`TACTFUL_LINK_SECRET`). */
  readonly signer: LinkSigner;
  /** The reply routes the dispatcher writes before each delivery. */
  readonly routes: Pick<Store, 'replyRoute'>;
  readonly publisher: Pick<Publisher, 'publish'>;
  /** The topics a customer already left (an unsubscribe from a topic keeps them: the list is replaced). */
  readonly topicsLeft: (customerId: string) => Promise<readonly string[]>;
  readonly metrics: Pick<TactfulMetrics, 'repliesReceived' | 'unsubscribes'>;
  readonly now: () => Date;
}

/** An unsubscribe address accepted in a transaction. */
interface Unsubscribe {
  readonly token: UnsubscribeToken;
  readonly signed: string;
}

/** The recipients accepted in one SMTP transaction (from MAIL FROM to the end of DATA). */
export interface Transaction {
  /** Command id → route, for each reply address. */
  readonly replies: Map<string, ReplyRoute>;
  /** Signed token → token, for each unsubscribe address. */
  readonly unsubscribes: Map<string, Unsubscribe>;
}

export const newTransaction = (): Transaction => ({ replies: new Map(), unsubscribes: new Map() });

/** An error smtp-server answers with its `responseCode` (RFC 5321 reply codes, enhanced status in the text). */
export function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

const noSuchMailbox = () => smtpError(550, '5.1.1 No such mailbox here');
const tryAgain = () => smtpError(451, '4.3.0 Try again later');

/**
 * RCPT TO: adds the recipient to the transaction, or throws the SMTP error to answer: 550 for an address
 * Tactful did not write (another local part or domain, a forged or altered MAC or token, a command never
 * delivered), 451 when the route cannot be read now (the sender keeps the mail and retries).
 */
export async function acceptRecipient(
  deps: CaptureDeps,
  logger: Logger,
  transaction: Transaction,
  address: string,
): Promise<void> {
  const unsubscribe = parseUnsubscribeAddress(address, deps.replyDomain, deps.signer);
  if (unsubscribe !== undefined && unsubscribe !== null) {
    transaction.unsubscribes.set(unsubscribe.signed, unsubscribe);
    return;
  }
  const commandId = unsubscribe === null ? null : parseReplyAddress(address, deps.replyDomain, deps.signer);
  let route: ReplyRoute | null = null;
  if (commandId !== null)
    try {
      route = await deps.routes.replyRoute(commandId);
    } catch (err) {
      logger.warn({ err, commandId }, 'could not look up a reply address; the sender will retry');
      throw tryAgain();
    }
  if (commandId === null || route === null) {
    deps.metrics.repliesReceived.inc({ outcome: 'refused' });
    throw noSuchMailbox();
  }
  transaction.replies.set(commandId, route);
}

/**
 * DATA: reads the message and publishes what it means for each accepted recipient, the opt-outs first,
 * resolving only once Kafka has every event; throws the SMTP error to answer (552 too big, 451 when Kafka
 * or Redis is away, so the sender keeps the mail and retries).
 */
export async function receiveMessage(
  deps: CaptureDeps,
  logger: Logger,
  transaction: Transaction,
  stream: Readable & { sizeExceeded?: boolean },
): Promise<void> {
  try {
    const mail = await simpleParser(stream);
    if (stream.sizeExceeded) throw smtpError(552, '5.3.4 Message too big');
    await publishUnsubscribes(deps, logger, [...transaction.unsubscribes.values()]);
    const text = newReplyText(mail.text ?? '').slice(0, MAX_REPLY_TEXT_CHARS);
    const events = replyEvents(transaction.replies, { messageId: mail.messageId, text, at: deps.now() });
    await deps.publisher.publish(events);
    deps.metrics.repliesReceived.inc({ outcome: 'published' }, events.length);
    for (const [commandId, route] of transaction.replies)
      logger.info({ customerId: route.customerId, commandId, journey: route.journey }, 'reply captured');
  } catch (err) {
    if ((err as { responseCode?: number }).responseCode === 552) throw err;
    logger.warn({ err }, 'could not publish a reply; the sender will retry');
    stream.resume();
    throw tryAgain();
  }
}

/** The opt-outs of the unsubscribe addresses of one message (a test copy's token publishes nothing). */
async function publishUnsubscribes(
  deps: CaptureDeps,
  logger: Logger,
  leaving: readonly Unsubscribe[],
): Promise<void> {
  const events: TactfulEvent[] = [];
  for (const { token, signed } of leaving) {
    const choice = oneClickChoice(token);
    deps.metrics.repliesReceived.inc({ outcome: 'unsubscribed' });
    if (token.test === true) {
      deps.metrics.unsubscribes.inc({ via: 'mailto', effect: 'test' });
      continue;
    }
    const topicsLeft = choice.kind === 'topic' ? await deps.topicsLeft(token.customerId) : [];
    events.push(
      unsubscribeEvent({ token, signed, choice, topicsLeft, at: deps.now(), source: REPLY_SOURCE }),
    );
    deps.metrics.unsubscribes.inc({ via: 'mailto', effect: choice.kind });
    logger.info({ customerId: token.customerId, commandId: token.commandId }, 'unsubscribed by email');
  }
  await deps.publisher.publish(events);
}
