import { hash } from 'node:crypto';
import type { Effect, Timer as EngineTimer } from '@tactful/engine';
import { ledgerKeyOf, type AuditRecord, type Topics } from '@tactful/events';
import type { OutboxMessage } from '@tactful/store-redis';

/** What one step asks of its commit, besides the new state. */
export interface StepOutput {
  /** The ledger keys of what the step sends (`ledgerKeyOf`: the template, by entry for a transactional one). */
  ledgerAdd: string[];
  timersAdd: EngineTimer[];
  timersCancel: string[];
  /** Commands for `N.commands` and decision records for `N.audit`, each serialised once, in order. */
  outbox: OutboxMessage[];
  audit: AuditRecord[];
  alerts: Extract<Effect, { type: 'alert' }>[];
}

/** Pure. An audit record's outbox id: unique per event and position, the same when a step is replayed. */
export function auditEntryId(eventId: string, index: number): string {
  return `aud-${hash('sha256', `${eventId}\u0000${index}`, 'hex').slice(0, 32)}`;
}

/**
 * Pure. Sorts one step's effects into what its commit writes: the templates sent, the timers to add and
 * cancel, the outbox (commands and audit records, serialised here and nowhere else: the same text is
 * stored in the outbox and produced to Kafka) and the alerts, carried out after the commit.
 */
export function toStepOutput(
  customerId: string,
  eventId: string,
  effects: readonly Effect[],
  topics: Pick<Topics, 'commands' | 'audit'>,
): StepOutput {
  const output: StepOutput = {
    ledgerAdd: [],
    timersAdd: [],
    timersCancel: [],
    outbox: [],
    audit: [],
    alerts: [],
  };
  for (const effect of effects) {
    switch (effect.type) {
      case 'send':
        output.ledgerAdd.push(ledgerKeyOf(effect.command));
        output.outbox.push({
          id: effect.command.id,
          topic: topics.commands,
          key: customerId,
          value: JSON.stringify(effect.command),
        });
        break;
      case 'schedule':
        output.timersAdd.push(effect.timer);
        break;
      case 'cancel': {
        // a wait started and ended in the same step (a journey moved to a newer version, then on by
        // the event) leaves nothing to add: the commit applies the cancels before the additions
        const started = output.timersAdd.findIndex((t) => t.id === effect.timerId);
        if (started >= 0) output.timersAdd.splice(started, 1);
        output.timersCancel.push(effect.timerId);
        break;
      }
      case 'audit':
        output.audit.push(effect.record);
        output.outbox.push({
          id: auditEntryId(eventId, output.audit.length - 1),
          topic: topics.audit,
          key: customerId,
          value: JSON.stringify(effect.record),
        });
        break;
      case 'alert':
        output.alerts.push(effect);
        break;
      default: {
        const unknown: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(unknown)}`);
      }
    }
  }
  return output;
}
