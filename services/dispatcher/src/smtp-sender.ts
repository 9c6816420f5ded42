import { Readable } from 'node:stream';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Logger } from '@tactful/observability';
import { classifySmtpFailure, type SmtpErrorLike, type SmtpFailure } from './smtp-errors';

/** What became of one delivery attempt. */
export type SendOutcome =
  | { readonly kind: 'accepted'; readonly response: string }
  /** `beforeEnd` refused (the claim was lost, Redis was down): the data was never ended, nothing delivered. */
  | { readonly kind: 'aborted'; readonly cause: unknown }
  | SmtpFailure;

export interface SmtpEnvelope {
  readonly from: string;
  readonly to: string;
}

export interface SmtpSender {
  /**
   * Delivers one message in its own SMTP conversation. `beforeEnd` runs after the whole message was
   * handed to the server and before the end of the data (the final dot) is written: the server cannot
   * have accepted anything until it resolves, and if it throws the conversation is dropped unfinished.
   */
  send(envelope: SmtpEnvelope, message: Buffer, beforeEnd: () => Promise<void>): Promise<SendOutcome>;
  /** Connects, greets and authenticates, then quits (what nodemailer's `verify()` does); throws on failure. */
  verify(): Promise<void>;
}

export interface SmtpSenderOptions {
  /** `TACTFUL_SMTP_URL`: `smtp://[user:pass@]host[:port][?option=value]`, options as nodemailer reads them. */
  readonly url: string;
  /** Connection, greeting and inactivity timeouts of each conversation. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * The SMTP client of the dispatcher: nodemailer's `SMTPConnection`, driven one conversation per message,
 * rather than a nodemailer transport, because the delivery protocol needs a hook the transports do not
 * have: between the message's last byte and the final dot, the claim is marked in Redis (README,
 * "The delivery protocol"). That makes the window in which a crash leaves the outcome unknown one round
 * trip to the server long.
 */
export function createSmtpSender(options: SmtpSenderOptions): SmtpSender {
  const logger = options.logger.child({ component: 'smtp-sender' });
  const connectionOptions: SMTPConnection.Options = {
    ...parseConnectionUrl(options.url),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    logger: false,
  };

  return {
    send(envelope, message, beforeEnd) {
      let dataEnded = false;
      let abortCause: unknown;
      let settled = false;
      let connection: SMTPConnection | undefined;
      return new Promise<SendOutcome>((resolve) => {
        const settle = (outcome: SendOutcome): void => {
          if (settled) return;
          settled = true;
          if (outcome.kind === 'accepted') connection?.quit();
          else connection?.close();
          resolve(outcome);
        };
        const fail = (err: SmtpErrorLike): void => settle(classifySmtpFailure(err, dataEnded));
        openConnection(connectionOptions, fail).then(
          (opened) => {
            connection = opened;
            const body = gatedBody(message, async () => {
              await beforeEnd();
              dataEnded = true;
            });
            body.once('error', (cause) => {
              abortCause = cause;
            });
            opened.send({ from: envelope.from, to: [envelope.to] }, body, (err, info) => {
              if (abortCause !== undefined) return settle({ kind: 'aborted', cause: abortCause });
              if (err) return fail(err);
              settle({ kind: 'accepted', response: info.response });
            });
          },
          (err: SmtpErrorLike) => fail(err),
        );
      }).then((outcome) => {
        if (outcome.kind !== 'accepted')
          logger.debug(
            { outcome: outcome.kind, detail: 'detail' in outcome ? outcome.detail : undefined },
            'not delivered',
          );
        return outcome;
      });
    },

    async verify() {
      // a failure after the greeting and login is of no interest here: the server answered
      const connection = await openConnection(connectionOptions, () => undefined);
      connection.quit();
    },
  };
}

/**
 * Opens a connection and logs in when the URL has credentials; resolves with it, or rejects with the
 * error. nodemailer reports a failed connect only as an 'error' event, never to the connect callback.
 */
function openConnection(
  connectionOptions: SMTPConnection.Options,
  onLaterError: (err: SmtpErrorLike) => void,
): Promise<SMTPConnection> {
  const connection = new SMTPConnection(connectionOptions);
  return new Promise((resolve, reject) => {
    let opened = false;
    const refuse = (err: SmtpErrorLike): void => {
      connection.close();
      reject(err);
    };
    // errors after the outcome is settled (a QUIT into a closed socket) must not crash the process
    connection.on('error', (err) => (opened ? onLaterError(err) : refuse(err)));
    // a server that closes without a word (before the greeting, mid-conversation) raises no error
    connection.on('end', () => {
      const closed = { code: 'ECONNECTION' };
      // an 'error' that comes with the close says more: let it arrive first
      setImmediate(() => (opened ? onLaterError(closed) : refuse(closed)));
    });
    const ready = (): void => {
      opened = true;
      resolve(connection);
    };
    connection.connect((err) => {
      if (err) return refuse(err);
      // parseConnectionUrl gives user and password from the URL, nothing else
      const { user, pass } = (connectionOptions.auth ?? {}) as { user?: string; pass?: string };
      if (user === undefined || user === '') return ready();
      connection.login({ user, pass: pass ?? '' }, (loginErr) => (loginErr ? refuse(loginErr) : ready()));
    });
  });
}

/**
 * The message as a stream that holds back its end until `beforeEnd` resolved. nodemailer pipes it into
 * the DATA phase only after the server's 354, and writes the final dot only when it ends; if `beforeEnd`
 * rejects, the stream fails instead of ending and the dot is never written.
 */
export function gatedBody(message: Buffer, beforeEnd: () => Promise<void>): Readable {
  let step: 'start' | 'body sent' | 'ending' = 'start';
  const stream = new Readable({
    read() {
      if (step === 'start') {
        step = 'body sent';
        this.push(message);
        return;
      }
      if (step !== 'body sent') return;
      step = 'ending';
      beforeEnd().then(
        () => stream.push(null),
        (cause: unknown) => stream.destroy(cause instanceof Error ? cause : new Error(String(cause))),
      );
    },
  });
  return stream;
}
