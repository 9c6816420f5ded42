// Test support, exported as `@tactful/dispatcher/smtp-sink`: a real SMTP server (smtp-server) that plays
// the receiving MTA in integration tests, collects what it accepts, and answers as a test tells it to.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  readonly mail: ParsedMail;
  /** The `X-Tactful-Command` header, when the message has one. */
  readonly commandId: string | undefined;
  /** When the client began this message's transaction (its MAIL FROM; ms since the epoch). */
  readonly startedAt: number;
  /** When the sink answered 250 to the message's data (ms since the epoch): the moment it was delivered. */
  readonly acceptedAt: number;
  /** A header's value (lower-case name), as text. */
  header(name: string): string | undefined;
}

/** An answer the sink gives instead of accepting: `{ code: 451, message: '4.3.0 try later' }`. */
export interface SinkReply {
  readonly code: number;
  readonly message: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Messages accepted per `X-Tactful-Command`. */
  countsByCommand(): Map<string, number>;
  /** The next `times` messages are answered `reply` at the end of their data (after the whole message came). */
  failNextData(times: number, reply: SinkReply): void;
  /** Every message is answered `reply` at the end of its data until called again with `undefined`. */
  failAllData(reply: SinkReply | undefined): void;
  /** Recipients answered `reply` at RCPT, every time. */
  refuseRecipient(address: string, reply: SinkReply): void;
  /** Accepted messages mailparser could not read (a test should expect none). */
  readonly unreadable: unknown[];
  /** Messages answered with a reply other than 250, in order. */
  readonly refused: { to: readonly string[]; code: number }[];
  /** Errors of client connections (a client killed mid-conversation resets its socket). */
  readonly connectionErrors: unknown[];
  close(): Promise<void>;
}

function smtpError(reply: SinkReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export interface SmtpSinkOptions {
  readonly host?: string;
  /** Default a free port; a fixed one lets a test stop the sink and start it again where the sender looks. */
  readonly port?: number;
  /** Called with each message accepted, once it was read (a test reacting to a delivery as a person would). */
  readonly onReceived?: (mail: ReceivedMail) => void;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refused: { to: readonly string[]; code: number }[] = [];
  const unreadable: unknown[] = [];
  const dataFailures: SinkReply[] = [];
  let failingAll: SinkReply | undefined;
  // per session: when its current transaction began (a session may carry several, one after another)
  const transactionStarts = new Map<string, number>();
  const recipients = new Map<string, SinkReply>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onMailFrom(_address, session, callback) {
      transactionStarts.set(session.id, Date.now());
      callback();
    },
    onClose(session) {
      transactionStarts.delete(session.id);
    },
    onRcptTo(address, _session, callback) {
      const reply = recipients.get(address.address.toLowerCase());
      if (reply) refused.push({ to: [address.address], code: reply.code });
      callback(reply ? smtpError(reply) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // read before answering: the session's envelope is reset for the next transaction then
        const to = session.envelope.rcptTo.map((r) => r.address);
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const failure = failingAll ?? dataFailures.shift();
        if (failure) {
          refused.push({ to, code: failure.code });
          return callback(smtpError(failure));
        }
        const raw = Buffer.concat(chunks);
        // accept first, as an MTA answers once the message is queued; reading it is the test's business
        const acceptedAt = Date.now();
        const startedAt = transactionStarts.get(session.id) ?? acceptedAt;
        callback();
        readMail(raw, { from, to, startedAt, acceptedAt }).then(
          (accepted) => {
            received.push(accepted);
            options.onReceived?.(accepted);
          },
          (err: unknown) => unreadable.push(err),
        );
      });
    },
  });
  // smtp-server emits a client's socket errors on the server: with no listener, a dispatcher killed
  // mid-conversation (ECONNRESET) would be an uncaught error of the test process
  const connectionErrors: unknown[] = [];
  server.on('error', (err) => connectionErrors.push(err));
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, host, options.port ?? 0);
  return {
    port: address.port,
    url: `smtp://${host}:${address.port}`,
    received,
    refused,
    unreadable,
    connectionErrors,
    countsByCommand() {
      const counts = new Map<string, number>();
      for (const r of received) if (r.commandId) counts.set(r.commandId, (counts.get(r.commandId) ?? 0) + 1);
      return counts;
    },
    failNextData(times, reply) {
      for (let i = 0; i < times; i++) dataFailures.push(reply);
    },
    failAllData(reply) {
      failingAll = reply;
    },
    refuseRecipient(address, reply) {
      recipients.set(address.toLowerCase(), reply);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A message the sink accepted, parsed by mailparser. */
async function readMail(
  raw: Buffer,
  envelope: Pick<ReceivedMail, 'from' | 'to' | 'startedAt' | 'acceptedAt'>,
): Promise<ReceivedMail> {
  const mail = await simpleParser(raw);
  const header = (name: string): string | undefined => {
    const value = mail.headers.get(name);
    return value === undefined ? undefined : String(value);
  };
  return { ...envelope, raw, mail, commandId: header('x-tactful-command'), header };
}

function listen(server: SMTPServer, host: string, port: number): Promise<AddressInfo> {
  return new Promise<AddressInfo>((resolve, reject) => {
    const net = server.listen(port, host, () => resolve(net.address() as AddressInfo));
    net.once('error', reject);
  });
}
