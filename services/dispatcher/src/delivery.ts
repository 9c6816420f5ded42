import { assertNever, ledgerKeyOf, TactfulError, type EmailSendCommand } from '@tactful/events';
import type { MessageMeta } from '@tactful/kafka';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import { messageIdFor } from './message';
import { retryDelay, waitWithHeartbeats, type RetryOptions } from './retry';
import { createSettlement, type DispatchOutcome, type Settlement, type SettlementDeps } from './settlement';
import type { SendOutcome, SmtpSender } from './smtp-sender';

export type { DispatchOutcome } from './settlement';

export interface DeliveryDeps extends SettlementDeps {
  readonly sender: SmtpSender;
  readonly leaseMs: number;
  /** The envelope sender (the bare address of the From). */
  readonly envelopeFrom: string;
  readonly retry: RetryOptions;
  readonly metrics: Pick<TactfulMetrics, 'smtpSendDuration'>;
  /** True once the dispatcher is closing: backoffs end early. */
  readonly stopping: () => boolean;
  /** Told after every attempt whether the server could be talked to (the readiness check). */
  readonly onServerReached?: (reached: boolean, detail: string) => void;
}

/** What the phases of one attempt share. */
interface AttemptContext {
  readonly deps: DeliveryDeps;
  readonly logger: Logger;
  readonly settlement: Settlement;
}

/** After the claim: send now, or try again (after a wait, with the last-mile checks run again), or done. */
type Next = 'send' | 'again' | DispatchOutcome;

/**
 * The delivery protocol (`@tactful/engine`'s README, "The delivery protocol"): claim the command in Redis
 * with a lease, send it, mark the claim `ending` between the message's last byte and the final dot, and
 * record the delivery (and the template) before reporting `email.sent`. Transient failures are retried
 * with backoff without moving past the command; permanent ones are audited and dead-lettered; a claim a
 * dead dispatcher had begun to end is never sent again blindly.
 */
export function createDelivery(deps: DeliveryDeps) {
  const logger = deps.logger.child({ component: 'delivery' });
  const settlement = createSettlement({ ...deps, logger });
  const ctx: AttemptContext = { deps, logger, settlement };

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
    const pending = settlement.acceptedUnrecorded(command.id);
    if (pending !== undefined) {
      await settlement.recordDelivered(command, pending);
      return 'delivered';
    }
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && recheck) {
        const stop = await recheck();
        if (stop !== null) return settlement.suppress(command, stop.code, stop.reason);
      }
      const next = await claimPhase(ctx, command, meta);
      if (next === 'again') continue;
      if (next !== 'send') return next;
      const sent = await sendPhase(ctx, command, to, message);
      const done = await afterSend(ctx, command, meta, sent, attempt);
      if (done !== 'again') return done;
    }
  }

  const { suppress, fail, reportAgain } = settlement;
  return { deliver, suppress, fail, reportAgain };
}

export type Delivery = ReturnType<typeof createDelivery>;

/** Claims the command for this dispatcher, or says why not and what to do instead. */
async function claimPhase(ctx: AttemptContext, command: EmailSendCommand, meta: MessageMeta): Promise<Next> {
  const { deps, settlement } = ctx;
  const { customerId, id, template } = command;
  const claim = await deps.deliveries.apply(customerId, id, ledgerKeyOf(command), {
    type: 'claim',
    owner: deps.owner,
    now: deps.now().getTime(),
    leaseMs: deps.leaseMs,
  });
  switch (claim.outcome) {
    case 'claimed':
      return 'send';
    case 'recovered':
      // a dead dispatcher's claim from before it ended the data: nothing can have been delivered
      ctx.logger.info({ customerId, commandId: id }, 'recovered a claim');
      return 'send';
    case 'delivered':
      return settlement.reportAgain(command);
    case 'settled':
      return 'duplicate';
    case 'busy': {
      // claimed by another dispatcher since the handler looked: wait for its lease, then look again
      const record = await deps.deliveries.peek(customerId, id);
      const until = record?.state === 'sending' ? record.leaseUntil : deps.now().getTime();
      await waitWithHeartbeats(until - deps.now().getTime() + 1, meta.heartbeat, deps.stopping);
      if (deps.stopping())
        throw TactfulError.retriable('store.conflict', `command ${id} is held by another dispatcher`);
      return 'again';
    }
    case 'template_taken':
      return settlement.suppress(
        command,
        'template_already_delivered',
        `at dispatch: template ${template} already reached this person`,
      );
    case 'uncertain':
      return settlement.uncertain(command, meta, 'a dispatcher stopped after it began to end the message');
    default:
      return assertNever(claim.outcome, 'claim outcome');
  }
}

/**
 * One SMTP conversation for a claimed command: the reply route saved first, the claim moved to `ending`
 * before the final dot (the data is dropped unfinished if the claim is no longer ours), the time measured
 * and whether the server could be reached told.
 */
async function sendPhase(
  { deps }: AttemptContext,
  command: EmailSendCommand,
  to: string,
  message: Buffer,
): Promise<SendOutcome> {
  const { customerId, id, template } = command;
  await deps.deliveries.saveReplyRoute(id, { customerId, journey: command.journey, template });
  const started = performance.now();
  const outcome = await deps.sender.send({ from: deps.envelopeFrom, to }, message, async () => {
    const ended = await deps.deliveries.apply(customerId, id, ledgerKeyOf(command), {
      type: 'end',
      owner: deps.owner,
      now: deps.now().getTime(),
      leaseMs: deps.leaseMs,
    });
    if (ended.outcome === 'lost')
      throw TactfulError.retriable('store.conflict', `the claim of ${id} passed to another dispatcher`);
  });
  const result = outcome.kind === 'aborted' ? 'transient' : outcome.kind;
  deps.metrics.smtpSendDuration.observe({ result }, (performance.now() - started) / 1000);
  const detail = 'detail' in outcome ? outcome.detail : outcome.kind;
  deps.onServerReached?.(outcome.kind !== 'transient' || outcome.responseCode !== undefined, detail);
  return outcome;
}

/** What the server's answer makes of the command: delivered, failed, uncertain, or another attempt. */
async function afterSend(
  { deps, logger, settlement }: AttemptContext,
  command: EmailSendCommand,
  meta: MessageMeta,
  outcome: SendOutcome,
  attempt: number,
): Promise<'again' | DispatchOutcome> {
  const { customerId, id } = command;
  // nothing was delivered; the claim may already be another dispatcher's, which release leaves alone
  const release = () =>
    deps.deliveries.apply(customerId, id, ledgerKeyOf(command), { type: 'release', owner: deps.owner });
  switch (outcome.kind) {
    case 'accepted':
      await settlement.recordDelivered(command, messageIdFor(id));
      return 'delivered';
    case 'permanent':
      return settlement.fail(
        command,
        meta,
        'failed',
        'smtp_rejected',
        `the mail server refused it for good (${outcome.detail})`,
      );
    case 'uncertain':
      return settlement.uncertain(
        command,
        meta,
        `the connection broke after the end of the message (${outcome.detail})`,
      );
    case 'aborted':
      await release();
      throw outcome.cause instanceof TactfulError
        ? outcome.cause
        : TactfulError.retriable(
            'redis.unavailable',
            `ending ${id}: ${String(outcome.cause)}`,
            outcome.cause,
          );
    case 'transient':
      await release();
      logger.warn(
        { customerId, commandId: id, attempt, detail: outcome.detail },
        'delivery failed for now; retrying',
      );
      if (attempt > deps.retry.retries || deps.stopping())
        throw TactfulError.retriable('smtp.transient', `delivering ${id}: ${outcome.detail}`);
      await waitWithHeartbeats(retryDelay(deps.retry, attempt), meta.heartbeat, deps.stopping);
      return 'again';
    default:
      return assertNever(outcome, 'send outcome');
  }
}
