import { createHash } from 'node:crypto';
import type { Effect } from '@tactful/engine';
import type { AuditRecord, EmailSendCommand } from '@tactful/events';
import type { CommitBatch, Timer } from '@tactful/store-redis';

/**
 * What waits in a customer's outbox until it is on Kafka: a command for `N.commands` or a decision record
 * for `N.audit`. Both go through the outbox so that a crash after the state commit can never lose them.
 */
export type OutboxEntry =
  | { id: string; topic: 'commands'; value: EmailSendCommand }
  | { id: string; topic: 'audit'; value: AuditRecord };

export interface StepOutput {
  batch: Omit<CommitBatch<OutboxEntry, AuditRecord>, 'expectedVersion' | 'haltsSeen'>;
  alerts: Extract<Effect, { type: 'alert' }>[];
}

/** Pure. An audit record's outbox id: unique per event and position, the same when a step is replayed. */
export function auditEntryId(eventId: string, index: number): string {
  return `aud-${createHash('sha256').update(`${eventId}\u0000${index}`).digest('hex').slice(0, 32)}`;
}

/**
 * Pure. Turns one step's effects into the single atomic commit of the store: the new state, the templates
 * sent (the ledger refuses a template it already holds), the timers to add and cancel, the outbox and the
 * audit trail. Alerts are carried out after the commit.
 */
export function toCommit(
  customerId: string,
  eventId: string,
  state: unknown,
  effects: readonly Effect[],
): StepOutput {
  const ledgerAdd: string[] = [];
  const timersAdd: Timer[] = [];
  const timersCancel: string[] = [];
  const outbox: OutboxEntry[] = [];
  const audit: AuditRecord[] = [];
  const alerts: StepOutput['alerts'] = [];
  for (const effect of effects) {
    switch (effect.type) {
      case 'send':
        ledgerAdd.push(effect.command.template);
        outbox.push({ id: effect.command.id, topic: 'commands', value: effect.command });
        break;
      case 'schedule':
        timersAdd.push(effect.timer);
        break;
      case 'cancel':
        timersCancel.push(effect.timerId);
        break;
      case 'audit':
        audit.push(effect.record);
        outbox.push({ id: auditEntryId(eventId, audit.length - 1), topic: 'audit', value: effect.record });
        break;
      case 'alert':
        alerts.push(effect);
        break;
      default: {
        const unknown: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { batch: { customerId, eventId, state, ledgerAdd, timersAdd, timersCancel, outbox, audit }, alerts };
}
