import {
  startSmtpSink,
  type ReceivedMail,
  type SinkReply,
  type SmtpSink,
} from '@tactful/dispatcher/smtp-sink';
import { freePort } from '../../packages/testing/src/own-servers';
import type { Delivery } from './tally';

// The receiving mail server of a fault scenario: a real SMTP server on a fixed port, so that it can be
// stopped (an outage: connections refused) and started again where the dispatcher looks, or told to
// answer 4xx for a while. It keeps every message it accepted across its lives.

export interface Mailbox {
  readonly url: string;
  /** Every message accepted, over every life of the server. */
  readonly received: readonly ReceivedMail[];
  deliveries(): Delivery[];
  /** Stops the server: the dispatcher's connections are refused until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Answers every message with `reply` (e.g. 451) until called with `undefined`. */
  failAll(reply: SinkReply | undefined): void;
  /** Answers given that were not 250, over every life. */
  refusals(): number;
  /** Accepted messages that could not be parsed (none expected). */
  unreadable(): number;
  close(): Promise<void>;
}

export function deliveryOf(mail: ReceivedMail): Delivery {
  return {
    customer: mail.header('x-tactful-customer'),
    template: mail.header('x-tactful-template'),
    commandId: mail.commandId,
    startedAt: mail.startedAt,
    acceptedAt: mail.acceptedAt,
  };
}

export async function startMailbox(onReceived: (mail: ReceivedMail) => void): Promise<Mailbox> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  let failing: SinkReply | undefined;
  const lives: SmtpSink[] = [];
  let current: SmtpSink | undefined;
  const start = async (): Promise<void> => {
    if (current) return;
    current = await startSmtpSink({
      port,
      onReceived(mail) {
        received.push(mail);
        onReceived(mail);
      },
    });
    current.failAllData(failing);
    lives.push(current);
  };
  const stop = async (): Promise<void> => {
    const sink = current;
    current = undefined;
    await sink?.close();
  };
  await start();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    deliveries: () => received.map(deliveryOf),
    start,
    stop,
    failAll(reply) {
      failing = reply;
      current?.failAllData(reply);
    },
    refusals: () => lives.reduce((sum, sink) => sum + sink.refused.length, 0),
    unreadable: () => lives.reduce((sum, sink) => sum + sink.unreadable.length, 0),
    close: stop,
  };
}
