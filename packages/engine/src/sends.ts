import type { EmailSendCommand, MessageClass } from '@tactful/events';
import { assertNever, commandIdFor, haltMarkCovers, ledgerKeyOf } from '@tactful/events';
import { formatIsoDuration } from '@tactful/journeys';
import { decide, recordSend } from '@tactful/policy';
import { deferredOf, templatesSentOf } from './draft';
import { haltEverything } from './exit-journey';
import { sideOf } from './experiment';
import { decisionTime } from './halt-fence';
import type { AuditFields, StepRun } from './step-run';
import { audit } from './step-run';
import { timerIdFor } from './timer-id';

/** A message a journey wants to send now: from a `send` action, or a deferred send come due. */
export interface SendIntent {
  readonly journey: string;
  readonly journeyVersion: number;
  readonly entry: number;
  readonly stage: string;
  readonly template: string;
  readonly channel: string;
  readonly prospecting: boolean;
  /** What the template may quote. */
  readonly data: Record<string, unknown>;
  /** The event whose step first wanted it (differs from the event being applied for a deferred send). */
  readonly causationId: string;
  /** The journey's class; absent means marketing. */
  readonly class?: MessageClass | undefined;
  /** The subscription topic of the send (the send's own, else the journey's), if any. */
  readonly topic?: string | undefined;
  /** The person is in the journey's holdout: the message is recorded as held out, never sent. */
  readonly holdout?: boolean;
  /** The branch the entry took (the stages splits led to), for the audit record. */
  readonly path?: readonly string[];
}

/**
 * Decides one message: the engine's own checks first (the template already reached this person, in any
 * journey or version, or in this entry for a transactional journey: invariant 3; a sentinel mark covers
 * the journey or the send's topic: invariant 4), then the contact policy. Sent, deferred or suppressed,
 * it leaves an audit record (invariant 6). When the blast guard trips, every journey of the customer is
 * halted and the run stops.
 */
export function decideSend(run: StepRun, intent: SendIntent): void {
  const { state } = run;
  if (intent.holdout === true) {
    // before the ledger and the policy: a held-out person takes no contact budget and no template
    const reason = `held out: the person is in the journey's holdout, tracked and sent nothing`;
    audit(run, 'suppressed', about(intent, 'holdout', reason));
    return;
  }
  const transactional = intent.class === 'transactional';
  const key = ledgerKeyOf(intent);
  if (state.templatesSent.includes(key)) {
    const reason = transactional
      ? `template ${intent.template} already reached this person in this entry of ${intent.journey}; a transactional template is sent once per entry`
      : `template ${intent.template} already reached this person; a template is never sent twice`;
    audit(run, 'suppressed', about(intent, 'template_already_sent', reason));
    return;
  }
  // the mark of the event being applied is skipped: that event is applied now, with its exact meaning,
  // so its mark must not also suppress what it legitimately starts (a purchase entering the post-purchase
  // journey)
  const mark = (run.ctx.halts ?? []).find(
    (m) => m.eventId !== run.event.id && haltMarkCovers(m, intent.journey, intent.topic),
  );
  if (mark !== undefined) {
    const reason = `halted by ${mark.type} ${mark.eventId} (marked by the sentinel, not yet applied)`;
    audit(run, 'suppressed', about(intent, 'halted', reason));
    return;
  }
  const request = {
    journey: intent.journey,
    template: intent.template,
    prospecting: intent.prospecting,
    channel: intent.channel,
    ...(intent.topic === undefined ? {} : { topic: intent.topic }),
    ...(transactional ? { transactional: true } : {}),
  };
  const decision = decide(run.ctx.policy, state.contact, request, run.now);
  switch (decision.kind) {
    case 'send': {
      // after any fence of the journey, so the dispatcher never takes it for a send decided before a halt
      const decidedAt = decisionTime(state, intent.journey, run.now);
      const command = commandOf(run, intent, decidedAt);
      run.effects.push({ type: 'send', command });
      state.contact = recordSend(state.contact, request, decidedAt);
      templatesSentOf(run).push(key);
      audit(run, 'sent', about(intent, 'policy_allows', 'the contact policy allows it', command.id));
      return;
    }
    case 'defer': {
      defer(run, intent, Date.parse(decision.until));
      const reason = `${decision.reason.text}; deferred until ${decision.until}`;
      audit(run, 'deferred', about(intent, decision.reason.code, reason));
      return;
    }
    case 'suppress': {
      audit(run, 'suppressed', about(intent, decision.reason.code, decision.reason.text));
      if (decision.alert === 'blast_guard') {
        const reason = `blast guard: ${decision.reason.text}`;
        run.effects.push({
          type: 'alert',
          alert: 'blast_guard',
          customerId: state.customerId,
          at: run.at,
          reason,
          causationId: run.event.id,
        });
        haltEverything(run, 'blast_guard', reason);
        run.blasted = true;
      }
      return;
    }
    default:
      assertNever(decision, 'decision');
  }
}

/** What the audit record of a decision about `intent` says. */
function about(intent: SendIntent, code: string, reason: string, commandId?: string): AuditFields {
  return {
    journey: intent.journey,
    journeyVersion: intent.journeyVersion,
    stage: intent.stage,
    template: intent.template,
    commandId,
    ...sideOf({
      entry: intent.entry,
      ...(intent.holdout === true ? { holdout: true } : {}),
      ...(intent.path === undefined ? {} : { path: [...intent.path] }),
    }),
    code,
    reason,
  };
}

function commandOf(run: StepRun, intent: SendIntent, decidedAt: Date): EmailSendCommand {
  const { customerId, profile } = run.state;
  const causationId = run.event.id;
  return {
    id: commandIdFor({
      customerId,
      journey: intent.journey,
      journeyVersion: intent.journeyVersion,
      stage: intent.stage,
      template: intent.template,
      causationId,
    }),
    type: 'email.send',
    customerId,
    journey: intent.journey,
    journeyVersion: intent.journeyVersion,
    stage: intent.stage,
    template: intent.template,
    causationId,
    createdAt: decidedAt.toISOString(),
    channel: intent.channel,
    ...(profile.email === undefined ? {} : { to: profile.email }),
    data: intent.data,
    class: intent.class ?? 'marketing',
    entry: intent.entry,
    ...(intent.topic === undefined ? {} : { topic: intent.topic }),
  };
}

/** Parks the message under a durable timer due at `until`; it is decided again, from scratch, then. */
function defer(run: StepRun, intent: SendIntent, until: number): void {
  const { state } = run;
  state.seq += 1;
  const id = timerIdFor({
    customerId: state.customerId,
    journey: intent.journey,
    journeyVersion: intent.journeyVersion,
    entry: intent.entry,
    key: `deferred:${intent.template}`,
    seq: state.seq,
  });
  deferredOf(run)[id] = {
    journey: intent.journey,
    journeyVersion: intent.journeyVersion,
    entry: intent.entry,
    stage: intent.stage,
    template: intent.template,
    channel: intent.channel,
    prospecting: intent.prospecting,
    data: intent.data,
    dueAt: new Date(until).toISOString(),
    causationId: intent.causationId,
    ...(intent.class === undefined ? {} : { class: intent.class }),
    ...(intent.topic === undefined ? {} : { topic: intent.topic }),
    ...(intent.path === undefined ? {} : { path: [...intent.path] }),
  };
  run.effects.push({
    type: 'schedule',
    timer: {
      id,
      customerId: state.customerId,
      journey: intent.journey,
      journeyVersion: intent.journeyVersion,
      dueAt: until,
      payload: {
        kind: 'deferred-send',
        template: intent.template,
        stage: intent.stage,
        channel: intent.channel,
        delay: formatIsoDuration(until - run.now.getTime()),
      },
    },
  });
}
