import type { SettledState } from '@tactful/engine';
import { ledgerKeyOf, TactfulError, type EmailSendCommand } from '@tactful/events';
import type { DeadLetter, MessageMeta } from '@tactful/kafka';
import type { Logger } from '@tactful/observability';
import type { DeliveryStore } from './delivery-store';
import { messageIdFor } from './message';
import { dispatchAudit, type Reporter } from './reporter';

/** What became of one command: the `outcome` of `tactful_commands_processed_total`. */
export type DispatchOutcome = 'delivered' | 'duplicate' | 'suppressed' | 'rejected' | 'uncertain';

export interface SettlementDeps {
  readonly deliveries: DeliveryStore;
  readonly reporter: Reporter;
  readonly deadLetter: DeadLetter;
  /** This dispatcher's claims carry it; unique per process start. */
  readonly owner: string;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * How a command ends, each in the order that loses nothing: the audit (and the DLQ) first, then the
 * record, so that after a crash an audit may repeat but never go missing; a delivery recorded before
 * `email.sent`. Also remembers the deliveries the server accepted and Redis refused to record, so the next
 * attempt records them instead of sending again.
 */
export function createSettlement(deps: SettlementDeps) {
  // the server accepted these but Redis refused the record: on the next attempt, record, never resend
  const acceptedUnrecorded = new Map<string, string>();

  async function recordDelivered(command: EmailSendCommand, messageId: string): Promise<void> {
    acceptedUnrecorded.set(command.id, messageId);
    const now = deps.now();
    await deps.deliveries.apply(command.customerId, command.id, ledgerKeyOf(command), {
      type: 'delivered',
      now: now.getTime(),
      messageId,
    });
    acceptedUnrecorded.delete(command.id);
    await deps.reporter.emailSent(command, messageId, now);
  }

  async function suppress(command: EmailSendCommand, code: string, reason: string): Promise<DispatchOutcome> {
    await deps.reporter.audit(dispatchAudit('suppressed', command, code, reason, deps.now()));
    await settle(deps, command, 'suppressed', code);
    deps.logger.info(
      { customerId: command.customerId, commandId: command.id, code },
      'suppressed at dispatch',
    );
    return 'suppressed';
  }

  async function fail(
    command: EmailSendCommand,
    meta: MessageMeta,
    state: 'failed' | 'uncertain',
    code: string,
    reason: string,
  ): Promise<DispatchOutcome> {
    const decision = state === 'failed' ? 'rejected' : 'suppressed';
    await deps.reporter.audit(dispatchAudit(decision, command, code, reason, deps.now()));
    await deps.deadLetter.send({
      sourceTopic: meta.topic,
      partition: meta.partition,
      offset: meta.offset,
      key: meta.key,
      value: meta.value,
      headers: meta.headers,
      reason: code,
      message: reason,
    });
    await settle(deps, command, state, code);
    return state === 'failed' ? 'rejected' : 'uncertain';
  }

  return {
    recordDelivered,
    suppress,
    fail,
    /** The server accepted it earlier and Redis refused the record: its Message-ID, to record. */
    acceptedUnrecorded: (commandId: string): string | undefined => acceptedUnrecorded.get(commandId),

    /** Parks a command the server may have accepted: never sent again blindly. */
    uncertain: (command: EmailSendCommand, meta: MessageMeta, why: string): Promise<DispatchOutcome> =>
      fail(
        command,
        meta,
        'uncertain',
        'delivery_uncertain',
        `at dispatch: not sent again: ${why}, so the mail server may have accepted it (Message-ID ${messageIdFor(command.id)}); check its log before sending it by hand`,
      ),

    /** A command delivered before: `email.sent` again (it may have been lost in a crash), never the email. */
    async reportAgain(command: EmailSendCommand): Promise<DispatchOutcome> {
      const record = await deps.deliveries.peek(command.customerId, command.id);
      if (record?.state === 'delivered') await deps.reporter.emailSent(command, record.messageId, deps.now());
      return 'duplicate';
    },
  };
}

export type Settlement = ReturnType<typeof createSettlement>;

/** Records a terminal state after its audit (and DLQ) went out. */
async function settle(
  deps: SettlementDeps,
  command: EmailSendCommand,
  state: SettledState,
  code: string,
): Promise<void> {
  const result = await deps.deliveries.apply(command.customerId, command.id, ledgerKeyOf(command), {
    type: 'settle',
    state,
    code,
    owner: deps.owner,
    now: deps.now().getTime(),
  });
  if (result.outcome === 'busy')
    throw TactfulError.retriable(
      'store.conflict',
      `command ${command.id} is being delivered by another dispatcher`,
    );
}
