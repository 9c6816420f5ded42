import nodemailer from 'nodemailer';
import type { Producer } from 'kafkajs';
import type { ReceivedMail } from '@tactful/dispatcher/smtp-sink';
import { encodeEvent, type TactfulEvent } from '@tactful/events';
import type { HaltKind, PlannedCustomer } from './tally';

// The people of a scenario who say "stop" as soon as their first mail arrives: a reply published as
// `email.replied`, an opt-out published as `contact.opted_out`, or an actual reply mailed to the signed
// Reply-To address through a gateway's inbound SMTP port. Each is retried through whatever fault is in
// progress until Kafka acknowledged it (for a mailed reply: until the gateway answered 250, which it does
// only once Kafka has the event), and that moment is recorded: nothing may reach the person after it.

export interface Halter {
  /** Hand every accepted mail here; the first one of a person who halts makes them halt. */
  onMail(mail: ReceivedMail): void;
  /** Per person, when the halting event was acknowledged (ms since the epoch). */
  readonly haltedAt: ReadonlyMap<string, number>;
  /** Halts by kind, and the attempts that failed on the way (each retried). */
  stats(): { halts: Record<HaltKind, number>; failedAttempts: number };
  /** Resolves once every halt begun was acknowledged; rejects with the last error past the deadline. */
  settled(): Promise<void>;
}

export interface HalterDeps {
  readonly customers: readonly PlannedCustomer[];
  readonly producer: Producer;
  readonly eventsTopic: string;
  /** The inbound SMTP ports of the live `tactful run` processes. */
  readonly inboundPorts: () => readonly number[];
  /** How long one halt may keep failing before the scenario fails. */
  readonly deadlineMs: number;
}

function haltEvent(kind: 'reply-event' | 'opt-out', customer: string, commandId: string): TactfulEvent {
  const common = {
    specversion: '1.0' as const,
    subject: customer,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
  };
  return kind === 'reply-event'
    ? {
        ...common,
        id: `reply-${customer}`,
        source: 'faults/inbox',
        type: 'email.replied',
        data: { commandId, text: 'No thanks, please stop.' },
      }
    : {
        ...common,
        id: `opt-out-${customer}`,
        source: 'faults/preferences',
        type: 'contact.opted_out',
        data: {},
      };
}

async function mailReply(mail: ReceivedMail, port: number): Promise<void> {
  const replyTo = mail.mail.replyTo;
  const address = (Array.isArray(replyTo) ? replyTo[0] : replyTo)?.value[0]?.address;
  if (!address) throw new Error(`mail ${mail.commandId ?? '?'} has no Reply-To`);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 3000,
    greetingTimeout: 3000,
    socketTimeout: 5000,
  });
  try {
    await transport.sendMail({
      from: mail.to[0] ?? 'someone@example.com',
      to: address,
      subject: `Re: ${mail.mail.subject ?? ''}`,
      text: 'No thanks, please stop.\n',
      ...(mail.mail.messageId ? { inReplyTo: mail.mail.messageId } : {}),
    });
  } finally {
    transport.close();
  }
}

export function createHalter(deps: HalterDeps): Halter {
  const kinds = new Map(deps.customers.filter((c) => c.halt).map((c) => [c.id, c.halt!]));
  const begun = new Set<string>();
  const haltedAt = new Map<string, number>();
  const pending: Promise<void>[] = [];
  const failures: unknown[] = [];
  const halts: Record<HaltKind, number> = { 'reply-event': 0, 'reply-mail': 0, 'opt-out': 0 };
  let failedAttempts = 0;

  async function attempt(kind: HaltKind, customer: string, mail: ReceivedMail): Promise<void> {
    if (kind === 'reply-mail') {
      const ports = deps.inboundPorts();
      if (ports.length === 0) throw new Error('no tactful run process is up to take the reply');
      // whichever process is up: they share the reply routes in Redis
      await mailReply(mail, ports[failedAttempts % ports.length]!);
      return;
    }
    const { key, value } = encodeEvent(haltEvent(kind, customer, mail.commandId ?? ''));
    await deps.producer.send({ topic: deps.eventsTopic, acks: -1, messages: [{ key, value }] });
  }

  async function halt(kind: HaltKind, customer: string, mail: ReceivedMail): Promise<void> {
    const deadline = Date.now() + deps.deadlineMs;
    for (;;) {
      try {
        await attempt(kind, customer, mail);
        haltedAt.set(customer, Date.now());
        halts[kind] += 1;
        return;
      } catch (err) {
        failedAttempts += 1;
        if (Date.now() > deadline)
          throw new Error(`the ${kind} of ${customer} kept failing for ${deps.deadlineMs} ms`, {
            cause: err,
          });
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  return {
    onMail(mail) {
      const customer = mail.header('x-tactful-customer');
      const kind = customer === undefined ? undefined : kinds.get(customer);
      if (customer === undefined || kind === undefined || begun.has(customer)) return;
      begun.add(customer);
      // a halt that kept failing is reported by settled()
      pending.push(halt(kind, customer, mail).catch((err: unknown) => void failures.push(err)));
    },
    haltedAt,
    stats: () => ({ halts: { ...halts }, failedAttempts }),
    async settled() {
      await Promise.all(pending);
      if (failures.length > 0)
        throw new Error(`${failures.length} halt(s) could not be made`, { cause: failures[0] });
    },
  };
}
