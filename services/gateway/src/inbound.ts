import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '@tactful/observability';
import {
  acceptRecipient,
  newTransaction,
  receiveMessage,
  type CaptureDeps,
  type Transaction,
} from './inbound-capture';

export interface InboundDeps extends CaptureDeps {
  /** `TACTFUL_SMTP_INBOUND_PORT` (0: any free port). */
  readonly port: number;
  /** `TACTFUL_SMTP_INBOUND_HOST`. */
  readonly host?: string;
  readonly logger: Logger;
  /** The largest message accepted (default 10 MiB); a larger one is refused with 552. */
  readonly maxBytes?: number;
}

export interface Inbound {
  readonly port: number;
  isListening(): boolean;
  close(): Promise<void>;
}

type Done = (err?: Error | null) => void;

/**
 * Reply capture: an SMTP endpoint for the reply domain's MX. It accepts mail only for the Reply-To
 * addresses of commands the dispatcher delivered (`reply+<commandId>.<mac>@<domain>`, the MAC checked
 * under the link secret, then the command's reply route looked up in Redis) and refuses anything else
 * with 550 at RCPT, publishing nothing: no relay, no spam sink, and no forged reply halting someone's
 * journeys. Each reply becomes `email.replied` (`commandId`, `text`: the new text, without what it quoted)
 * on `N.events`, keyed by the customer; the server answers 250 only once Kafka has it, and 451 (try
 * again) when Redis or Kafka is away, so the sending server keeps the reply and retries. Plain SMTP (no
 * TLS, no AUTH): put it behind the MX that terminates TLS.
 *
 * It also takes the `mailto:` of `List-Unsubscribe` (`unsubscribe+<token>@<domain>`, CONTRACT.md section
 * 4): a token this secret signed is accepted and the message becomes the same opt-out as the one-click
 * link (whatever its text says), keyed by the token's customer; a forged or altered one is refused with
 * 550 at RCPT. A test copy's token is accepted and publishes nothing.
 */
export async function startInbound(deps: InboundDeps): Promise<Inbound> {
  const logger = deps.logger.child({ component: 'reply-capture' });
  // the recipients accepted in each session's current transaction
  const transactions = new Map<string, Transaction>();
  const transactionOf = (session: SMTPServerSession): Transaction => {
    const found = transactions.get(session.id) ?? newTransaction();
    transactions.set(session.id, found);
    return found;
  };

  const server = new SMTPServer({
    banner: 'Tactful reply capture',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: deps.maxBytes ?? 10 * 1024 * 1024,
    logger: false,
    onMailFrom(_address: SMTPServerAddress, session: SMTPServerSession, callback: Done) {
      transactions.set(session.id, newTransaction());
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: Done) {
      acceptRecipient(deps, logger, transactionOf(session), address.address).then(() => callback(), callback);
    },
    onData(stream, session, callback: Done) {
      receiveMessage(deps, logger, transactionOf(session), stream).then(() => callback(), callback);
    },
    onClose(session: SMTPServerSession) {
      transactions.delete(session.id);
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
