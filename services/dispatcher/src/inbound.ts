import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { LinkSigner, TactfulEvent } from '@tactful/events';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import type { DeliveryStore, ReplyRoute } from './delivery-store';
import { parseReplyAddress } from './reply-address';
import { newReplyText } from './reply-text';
import { DISPATCHER_SOURCE, type Reporter } from './reporter';

export interface InboundDeps {
  /** `TACTFUL_SMTP_INBOUND_PORT` (0: any free port). */
  readonly port: number;
  readonly host?: string;
  /** `TACTFUL_REPLY_DOMAIN`: only `reply+<commandId>.<mac>@<this>` is accepted. */
  readonly replyDomain: string;
  /** Checks the MAC of each address (`TACTFUL_LINK_SECRET`). */
  readonly signer: LinkSigner;
  readonly routes: Pick<DeliveryStore, 'replyRoute'>;
  readonly reporter: Pick<Reporter, 'publish'>;
  readonly metrics: Pick<TactfulMetrics, 'repliesReceived'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The largest message accepted (default 10 MiB); a larger one is refused with 552. */
  readonly maxBytes?: number;
}

export interface Inbound {
  readonly port: number;
  isListening(): boolean;
  close(): Promise<void>;
}

// Long enough for any reply a person writes; the event must stay well under Kafka's 1 MiB.
const MAX_TEXT_CHARS = 64 * 1024;

/** An error smtp-server answers with its `responseCode` (RFC 5321 reply codes, enhanced status in the text). */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/** Pure. The id of the `email.replied` of one reply: the same when the sending server delivers it again. */
export function replyEventId(commandId: string, messageId: string | undefined, text: string): string {
  const origin = messageId ?? `text:${text}`;
  return `rpl-${createHash('sha256').update(`${commandId}\u0000${origin}`).digest('hex').slice(0, 32)}`;
}

/**
 * Reply capture: an SMTP endpoint for the reply domain's MX. It accepts mail only for the Reply-To
 * addresses of commands the dispatcher delivered (`reply+<commandId>.<mac>@<domain>`, the MAC checked
 * under the link secret, then the command looked up in Redis) and refuses anything else with 550 at
 * RCPT, publishing nothing: no relay, no spam sink, and no forged reply halting someone's journeys. Each reply
 * becomes `email.replied` (`commandId`, `text`: the new text, without what it quoted) on `N.events`,
 * keyed by the customer; the server answers 250 only once Kafka has it, and 451 (try again) when Redis
 * or Kafka is away, so the sending server keeps the reply and retries. Plain SMTP (no TLS, no AUTH): put
 * it behind the MX that terminates TLS.
 */
export async function startInbound(deps: InboundDeps): Promise<Inbound> {
  const logger = deps.logger.child({ component: 'reply-capture' });
  // the routes of the recipients accepted in each session's current transaction
  const accepted = new Map<string, Map<string, ReplyRoute>>();

  const server = new SMTPServer({
    banner: 'Tactful reply capture',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: deps.maxBytes ?? 10 * 1024 * 1024,
    logger: false,
    onMailFrom(
      _address: SMTPServerAddress,
      session: SMTPServerSession,
      callback: (err?: Error | null) => void,
    ) {
      accepted.set(session.id, new Map());
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const commandId = parseReplyAddress(address.address, deps.replyDomain, deps.signer);
      if (commandId === null) {
        deps.metrics.repliesReceived.inc({ outcome: 'refused' });
        return callback(smtpError(550, '5.1.1 No such mailbox here'));
      }
      deps.routes.replyRoute(commandId).then(
        (route) => {
          if (route === null) {
            deps.metrics.repliesReceived.inc({ outcome: 'refused' });
            return callback(smtpError(550, '5.1.1 No such mailbox here'));
          }
          const routes = accepted.get(session.id) ?? new Map<string, ReplyRoute>();
          accepted.set(session.id, routes.set(commandId, route));
          callback();
        },
        (err: unknown) => {
          logger.warn({ err, commandId }, 'could not look up a reply address; the sender will retry');
          callback(smtpError(451, '4.3.0 Try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const routes = accepted.get(session.id) ?? new Map<string, ReplyRoute>();
      simpleParser(stream)
        .then(async (mail) => {
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded)
            return callback(smtpError(552, '5.3.4 Message too big'));
          const text = newReplyText(mail.text ?? '').slice(0, MAX_TEXT_CHARS);
          const at = deps.now().toISOString();
          const events = [...routes].map(([commandId, route]): TactfulEvent => ({
            specversion: '1.0',
            id: replyEventId(commandId, mail.messageId, text),
            source: DISPATCHER_SOURCE,
            type: 'email.replied',
            subject: route.customerId,
            time: at,
            datacontenttype: 'application/json',
            // the template lets the orchestrator count replies per template
            data: { commandId, template: route.template, text },
          }));
          await deps.reporter.publish(events);
          deps.metrics.repliesReceived.inc({ outcome: 'published' }, events.length);
          for (const [commandId, route] of routes)
            logger.info(
              { customerId: route.customerId, commandId, journey: route.journey },
              'reply captured',
            );
          callback();
        })
        .catch((err: unknown) => {
          logger.warn({ err }, 'could not publish a reply; the sender will retry');
          stream.resume();
          callback(smtpError(451, '4.3.0 Try again later'));
        });
    },
    onClose(session: SMTPServerSession) {
      accepted.delete(session.id);
    },
  });
  server.on('error', (err) => logger.warn({ err }, 'reply capture connection error'));

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    const net = server.listen(deps.port, deps.host, () => resolve(net.address() as AddressInfo));
    net.once('error', reject);
  });
  let listening = true;
  logger.info({ port: address.port }, 'accepting replies');
  return {
    port: address.port,
    isListening: () => listening,
    close: () =>
      new Promise<void>((resolve) => {
        listening = false;
        server.close(() => resolve());
      }),
  };
}
