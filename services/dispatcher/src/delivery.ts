import { assertNever, ledgerKeyOf, TactfulError, type EmailSendCommand } from '@tactful/events';
import type { DeadLetter, MessageMeta } from '@tactful/kafka';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import type { SettledState } from './claim';
import type { DeliveryStore } from './delivery-store';
import { messageIdFor } from './message';
import { dispatchAudit, type Reporter } from './reporter';
import { retryDelay, waitWithHeartbeats, type RetryOptions } from './retry';
import type { SmtpSender } from './smtp-sender';

/** What became of one command: the `outcome` of `tactful_commands_processed_total`. */
export type DispatchOutcome = 'delivered' | 'duplicate' | 'suppressed' | 'rejected' | 'uncertain';

export interface DeliveryDeps {
  readonly deliveries: DeliveryStore;
  readonly sender: SmtpSender;
  readonly reporter: Reporter;
  readonly deadLetter: DeadLetter;
  /** This dispatcher's claims carry it; unique per process start. */
  readonly owner: string;
  readonly leaseMs: number;
  /** The envelope sender (the bare address of the From). */
  readonly envelopeFrom: string;
  readonly retry: RetryOptions;
  readonly metrics: Pick<TactfulMetrics, 'smtpSendDuration'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** True once the dispatcher is closing: backoffs end early. */
  readonly stopping: () => boolean;
  /** Told after every attempt whether the server could be talked to (the readiness check). */
  readonly onServerReached?: (reached: boolean, detail: string) => void;
}

/**
 * The delivery protocol (README, "The delivery protocol"): claim the command in Redis with a lease, send
 * it, mark the claim `ending` between the message's last byte and the final dot, and record the delivery
 * (and the template) before reporting `email.sent`. Transient failures are retried with backoff without
 * moving past the command; permanent ones are audited and dead-lettered; a claim a dead dispatcher had
 * begun to end is never sent again blindly.
 */
export function createDelivery(deps: DeliveryDeps) {
  const logger = deps.logger.child({ component: 'delivery' });
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

  /** Records a terminal state after its audit (and DLQ) went out; an audit may repeat after a crash, never go missing. */
  async function settle(command: EmailSendCommand, state: SettledState, code: string): Promise<void> {
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

  async function suppress(command: EmailSendCommand, code: string, reason: string): Promise<DispatchOutcome> {
    await deps.reporter.audit(dispatchAudit('suppressed', command, code, reason, deps.now()));
    await settle(command, 'suppressed', code);
    logger.info({ customerId: command.customerId, commandId: command.id, code }, 'suppressed at dispatch');
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
    await settle(command, state, code);
    return state === 'failed' ? 'rejected' : 'uncertain';
  }

  const uncertain = (command: EmailSendCommand, meta: MessageMeta, why: string) =>
    fail(
      command,
      meta,
      'uncertain',
      'delivery_uncertain',
      `at dispatch: not sent again: ${why}, so the mail server may have accepted it (Message-ID ${messageIdFor(command.id)}); check its log before sending it by hand`,
    );

  async function reportAgain(command: EmailSendCommand): Promise<DispatchOutcome> {
    const record = await deps.deliveries.peek(command.customerId, command.id);
    if (record?.state === 'delivered') await deps.reporter.emailSent(command, record.messageId, deps.now());
    return 'duplicate';
  }

  /**
   * Delivers one rendered message to `to`, at most once. `recheck` runs the last-mile checks again before
   * every attempt after a wait (a busy lease, a transient failure's backoff): a reply or an opt-out that
   * arrived meanwhile stops the send.
   */
  async function deliver(
    command: EmailSendCommand,
    meta: MessageMeta,
    to: string,
    message: Buffer,
    recheck?: () => Promise<{ code: string; reason: string } | null>,
  ): Promise<DispatchOutcome> {
    const { customerId, id, template } = command;
    // the template's holder: per entry for a transactional journey, like the engine's ledger
    const slot = ledgerKeyOf(command);
    const pending = acceptedUnrecorded.get(id);
    if (pending !== undefined) {
      await recordDelivered(command, pending);
      return 'delivered';
    }
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && recheck) {
        const stop = await recheck();
        if (stop !== null) return suppress(command, stop.code, stop.reason);
      }
      const claim = await deps.deliveries.apply(customerId, id, slot, {
        type: 'claim',
        owner: deps.owner,
        now: deps.now().getTime(),
        leaseMs: deps.leaseMs,
      });
      switch (claim.outcome) {
        case 'claimed':
          break;
        case 'recovered':
          // a dead dispatcher's claim from before it ended the data: nothing can have been delivered
          logger.info({ customerId, commandId: id }, 'recovered a claim');
          break;
        case 'delivered':
          return reportAgain(command);
        case 'settled':
          return 'duplicate';
        case 'busy': {
          // claimed by another dispatcher since the handler looked: wait for its lease, then look again
          const record = await deps.deliveries.peek(customerId, id);
          const until = record?.state === 'sending' ? record.leaseUntil : deps.now().getTime();
          await waitWithHeartbeats(until - deps.now().getTime() + 1, meta.heartbeat, deps.stopping);
          if (deps.stopping())
            throw TactfulError.retriable('store.conflict', `command ${id} is held by another dispatcher`);
          continue;
        }
        case 'template_taken':
          return suppress(
            command,
            'template_already_delivered',
            `at dispatch: template ${template} already reached this person`,
          );
        case 'uncertain':
          return uncertain(command, meta, 'a dispatcher stopped after it began to end the message');
        case 'ok':
        case 'lost':
        case 'already':
          throw new TactfulError('internal', `a claim answered ${claim.outcome}`);
        default:
          return assertNever(claim.outcome, 'claim outcome');
      }
      await deps.deliveries.saveReplyRoute(id, { customerId, journey: command.journey, template });
      const started = performance.now();
      const outcome = await deps.sender.send({ from: deps.envelopeFrom, to }, message, async () => {
        const ended = await deps.deliveries.apply(customerId, id, slot, {
          type: 'end',
          owner: deps.owner,
          now: deps.now().getTime(),
          leaseMs: deps.leaseMs,
        });
        if (ended.outcome !== 'ok')
          throw TactfulError.retriable('store.conflict', `the claim of ${id} passed to another dispatcher`);
      });
      const result = outcome.kind === 'aborted' ? 'transient' : outcome.kind;
      deps.metrics.smtpSendDuration.observe({ result }, (performance.now() - started) / 1000);
      const detail = 'detail' in outcome ? outcome.detail : outcome.kind;
      deps.onServerReached?.(outcome.kind !== 'transient' || outcome.responseCode !== undefined, detail);
      switch (outcome.kind) {
        case 'accepted':
          await recordDelivered(command, messageIdFor(id));
          return 'delivered';
        case 'permanent':
          return fail(
            command,
            meta,
            'failed',
            'smtp_rejected',
            `the mail server refused it for good (${outcome.detail})`,
          );
        case 'uncertain':
          return uncertain(
            command,
            meta,
            `the connection broke after the end of the message (${outcome.detail})`,
          );
        case 'aborted': {
          // nothing was delivered; the claim may already be another dispatcher's, which release leaves alone
          await deps.deliveries.apply(customerId, id, slot, { type: 'release', owner: deps.owner });
          throw outcome.cause instanceof TactfulError
            ? outcome.cause
            : TactfulError.retriable(
                'redis.unavailable',
                `ending ${id}: ${String(outcome.cause)}`,
                outcome.cause,
              );
        }
        case 'transient': {
          await deps.deliveries.apply(customerId, id, slot, { type: 'release', owner: deps.owner });
          logger.warn(
            { customerId, commandId: id, attempt, detail: outcome.detail },
            'delivery failed for now; retrying',
          );
          if (attempt > deps.retry.retries || deps.stopping())
            throw TactfulError.retriable('smtp.transient', `delivering ${id}: ${outcome.detail}`);
          await waitWithHeartbeats(retryDelay(deps.retry, attempt), meta.heartbeat, deps.stopping);
          continue;
        }
        default:
          return assertNever(outcome, 'send outcome');
      }
    }
  }

  return { deliver, suppress, fail, reportAgain };
}

export type Delivery = ReturnType<typeof createDelivery>;
