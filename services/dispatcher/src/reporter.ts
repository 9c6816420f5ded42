import {
  ledgerKeyOf,
  prepareEvent,
  TactfulError,
  type AuditRecord,
  type EmailSendCommand,
  type TactfulEvent,
  type Topics,
} from '@tactful/events';
import type { Producer } from '@tactful/kafka';

/** Where the dispatcher reports what it did: events on `N.events`, decisions on `N.audit`. */
export interface Reporter {
  /** `email.sent` for a delivered command; its id derives from the command, so a repeat is a duplicate. */
  emailSent(command: EmailSendCommand, messageId: string, at: Date): Promise<void>;
  /** One decision, to `N.audit` (where `tactful explain` and the console read a customer's decisions). */
  audit(record: AuditRecord): Promise<void>;
  /** Events written by the dispatcher itself (`email.replied`), keyed by their subject. */
  publish(events: readonly TactfulEvent[]): Promise<void>;
}

export interface ReporterDeps {
  /** Idempotent, `acks=all`: a produce retried by the client is written once. */
  readonly producer: Pick<Producer, 'send'>;
  readonly topics: Pick<Topics, 'events' | 'audit'>;
}

/** The source of the events the dispatcher writes. */
export const DISPATCHER_SOURCE = 'tactful/dispatcher';

/** Pure. The id of the `email.sent` of a command: the same for every report of the same delivery. */
export function emailSentIdFor(commandId: string): string {
  return `sent-${commandId}`;
}

export function createReporter(deps: ReporterDeps): Reporter {
  async function send(
    topic: string,
    messages: { key: string; value: string; headers?: Record<string, string> }[],
  ) {
    try {
      await deps.producer.send({ topic, acks: -1, messages });
    } catch (err) {
      throw TactfulError.retriable(
        'kafka.unavailable',
        `writing to ${topic}: ${(err as Error).message}`,
        err,
      );
    }
  }

  async function publish(events: readonly TactfulEvent[]): Promise<void> {
    const messages = events.map((event) => {
      const prepared = prepareEvent(event);
      // the dispatcher builds these events itself: one that fails the schema is a bug, not bad input
      if (!prepared.ok)
        throw new TactfulError(
          'internal',
          `the dispatcher built an invalid ${event.type}: ${prepared.rejection.message}`,
        );
      return prepared.message;
    });
    if (messages.length > 0) await send(deps.topics.events, messages);
  }

  return {
    publish,
    emailSent(command, messageId, at) {
      return publish([
        {
          specversion: '1.0',
          id: emailSentIdFor(command.id),
          source: DISPATCHER_SOURCE,
          type: 'email.sent',
          subject: command.customerId,
          time: at.toISOString(),
          datacontenttype: 'application/json',
          data: {
            commandId: command.id,
            template: command.template,
            messageId,
            // a transactional send's ledger entry is its entry's, so the engine keeps it per entry too
            ...(ledgerKeyOf(command) === command.template ? {} : { ledgerKey: ledgerKeyOf(command) }),
          },
        },
      ]);
    },
    async audit(record) {
      await send(deps.topics.audit, [
        {
          key: record.customerId,
          value: JSON.stringify(record),
          headers: { 'content-type': 'application/json' },
        },
      ]);
    },
  };
}

/** Pure. A decision of the dispatcher about one command, as an audit record (CONTRACT.md section 6). */
export function dispatchAudit(
  decision: 'suppressed' | 'rejected',
  command: EmailSendCommand,
  code: string,
  reason: string,
  at: Date,
): AuditRecord {
  return {
    customerId: command.customerId,
    at: at.toISOString(),
    decision,
    journey: command.journey,
    journeyVersion: command.journeyVersion,
    stage: command.stage,
    template: command.template,
    reason,
    code,
    causationId: command.causationId,
    commandId: command.id,
  };
}
