import { assertNever } from '@tactful/events';

// The delivery record of one command, and how it may change: the state machine of the delivery protocol
// (README, "The delivery protocol", whose state table a test generates from `deliveryStep`). Pure: the
// dispatcher's delivery store reads the record and the template's holder, asks `deliveryStep` what to do,
// and writes the answer only if neither changed meanwhile.

/** Terminal states other than delivered: the command is done with and never sent. */
export const SETTLED_STATES = ['suppressed', 'failed', 'uncertain'] as const;
export type SettledState = (typeof SETTLED_STATES)[number];

export type DeliveryRecord =
  /**
   * A dispatcher holds the command: `claimed` while it talks to the server, `ending` once it is about to
   * write the end of the data (from then on the server may accept the message at any moment).
   */
  | {
      readonly state: 'sending';
      readonly phase: 'claimed' | 'ending';
      readonly owner: string;
      /** Epoch ms; until then no other dispatcher touches the claim. */
      readonly leaseUntil: number;
      readonly template: string;
      readonly attempts: number;
    }
  | {
      readonly state: 'delivered';
      readonly template: string;
      readonly messageId: string;
      readonly at: number;
    }
  | { readonly state: SettledState; readonly template: string; readonly code: string; readonly at: number };

/** What the store holds about one command: its record, and which command holds its template. */
export interface DeliverySlot {
  readonly record: DeliveryRecord | null;
  /** The command the template is delivered (or being delivered) by; null when none. */
  readonly holder: string | null;
}

/** Take the command (and its template) with a lease, to send it. */
export interface ClaimAction {
  readonly type: 'claim';
  readonly owner: string;
  readonly now: number;
  readonly leaseMs: number;
}

/** About to write the end of the data: the claim moves to phase `ending`, its lease renewed. */
export interface EndAction {
  readonly type: 'end';
  readonly owner: string;
  readonly now: number;
  readonly leaseMs: number;
}

/** The server accepted the message. */
export interface DeliveredAction {
  readonly type: 'delivered';
  readonly now: number;
  readonly messageId: string;
}

/** Nothing was delivered: give the command (and its template) back. */
export interface ReleaseAction {
  readonly type: 'release';
  readonly owner: string;
}

/** Done with, never sent: suppressed, failed, or parked as uncertain. */
export interface SettleAction {
  readonly type: 'settle';
  readonly state: SettledState;
  readonly code: string;
  readonly owner: string;
  readonly now: number;
}

export type DeliveryAction = ClaimAction | EndAction | DeliveredAction | ReleaseAction | SettleAction;

export type ClaimOutcome =
  /** Ours now: send it. `recovered`: a dead dispatcher's claim, from before it ended the data. */
  | 'claimed'
  | 'recovered'
  /** Already delivered: report it again, do not send. */
  | 'delivered'
  /** Already suppressed, failed or parked as uncertain: nothing to do. */
  | 'settled'
  /** Another dispatcher holds a live claim: try again later. */
  | 'busy'
  /** A dead dispatcher's claim after it began to end the data: it may have been delivered. */
  | 'uncertain'
  /** Another command holds the template: it reached (or is reaching) this person. */
  | 'template_taken';

/** `lost`: the claim is no longer this dispatcher's (or there is none). */
export type EndOutcome = 'ok' | 'lost';

/** `already`: recorded as delivered before; nothing changes. */
export type DeliveredOutcome = 'ok' | 'already';

/** `lost`: the claim is no longer this dispatcher's (or there is none); whoever has it keeps it. */
export type ReleaseOutcome = 'ok' | 'lost';

/**
 * `delivered`: it was delivered, nothing to settle; `busy`: another dispatcher holds a live claim;
 * `uncertain`: a dead dispatcher had begun to end the data, so only "uncertain" may be said of it.
 */
export type SettleOutcome = 'ok' | 'delivered' | 'busy' | 'uncertain';

/** The outcomes each action can have, by the action's `type`. */
export interface DeliveryOutcomes {
  readonly claim: ClaimOutcome;
  readonly end: EndOutcome;
  readonly delivered: DeliveredOutcome;
  readonly release: ReleaseOutcome;
  readonly settle: SettleOutcome;
}

/** The outcome of applying an action of type `A`. */
export type OutcomeOf<A extends DeliveryAction> = DeliveryOutcomes[A['type']];

/** What to write: the new record (null = delete) and the template's holder (null = none). */
export interface DeliveryWrite {
  readonly record: DeliveryRecord | null;
  readonly holder: string | null;
  /** Set by a delivery: when it was made (the blast guard counts them). */
  readonly deliveredAt?: number;
}

export interface DeliveryStepResult<O extends string = OutcomeOf<DeliveryAction>> {
  readonly outcome: O;
  /** What to write, if anything. */
  readonly write?: DeliveryWrite;
}

/** Pure. What an action does to a command's slot; the outcome is typed by the action's type. */
export function deliveryStep<A extends DeliveryAction>(
  slot: DeliverySlot,
  commandId: string,
  template: string,
  action: A,
): DeliveryStepResult<OutcomeOf<A>> {
  // each branch returns its own action's outcomes; TypeScript cannot follow that through a generic `A`
  return stepOf(slot, commandId, template, action) as DeliveryStepResult<OutcomeOf<A>>;
}

function stepOf(
  slot: DeliverySlot,
  commandId: string,
  template: string,
  action: DeliveryAction,
): DeliveryStepResult {
  switch (action.type) {
    case 'claim':
      return claim(slot, commandId, template, action);
    case 'end':
      return end(slot, commandId, action);
    case 'delivered':
      return delivered(slot, commandId, template, action);
    case 'release':
      return release(slot, commandId, action);
    case 'settle':
      return settle(slot, commandId, template, action);
    default:
      return assertNever(action, 'delivery action');
  }
}

function claim(
  { record, holder }: DeliverySlot,
  commandId: string,
  template: string,
  action: ClaimAction,
): DeliveryStepResult<ClaimOutcome> {
  const claimed = (attempts: number): DeliveryRecord => ({
    state: 'sending',
    phase: 'claimed',
    owner: action.owner,
    leaseUntil: action.now + action.leaseMs,
    template,
    attempts,
  });
  if (record === null) {
    if (holder !== null && holder !== commandId) return { outcome: 'template_taken' };
    return { outcome: 'claimed', write: { record: claimed(1), holder: commandId } };
  }
  if (record.state === 'delivered') return { outcome: 'delivered' };
  if (record.state !== 'sending') return { outcome: 'settled' };
  const mine = record.owner === action.owner;
  if (!mine && record.leaseUntil > action.now) return { outcome: 'busy' };
  // whoever began to end the data may have got it accepted: never sent again blindly
  if (record.phase === 'ending') return { outcome: 'uncertain' };
  return {
    outcome: mine ? 'claimed' : 'recovered',
    write: { record: claimed(record.attempts + 1), holder: commandId },
  };
}

function end({ record }: DeliverySlot, commandId: string, action: EndAction): DeliveryStepResult<EndOutcome> {
  if (record?.state !== 'sending' || record.owner !== action.owner) return { outcome: 'lost' };
  return {
    outcome: 'ok',
    write: {
      record: { ...record, phase: 'ending', leaseUntil: action.now + action.leaseMs },
      holder: commandId,
    },
  };
}

function delivered(
  { record }: DeliverySlot,
  commandId: string,
  template: string,
  action: DeliveredAction,
): DeliveryStepResult<DeliveredOutcome> {
  // the server's acceptance is the truth, whatever the record says by now
  if (record?.state === 'delivered') return { outcome: 'already' };
  return {
    outcome: 'ok',
    write: {
      record: { state: 'delivered', template, messageId: action.messageId, at: action.now },
      holder: commandId,
      deliveredAt: action.now,
    },
  };
}

function release(
  { record, holder }: DeliverySlot,
  commandId: string,
  action: ReleaseAction,
): DeliveryStepResult<ReleaseOutcome> {
  if (record?.state !== 'sending' || record.owner !== action.owner) return { outcome: 'lost' };
  return { outcome: 'ok', write: { record: null, holder: holder === commandId ? null : holder } };
}

function settle(
  { record, holder }: DeliverySlot,
  commandId: string,
  template: string,
  action: SettleAction,
): DeliveryStepResult<SettleOutcome> {
  if (record?.state === 'delivered') return { outcome: 'delivered' };
  if (record?.state === 'sending' && record.owner !== action.owner && record.leaseUntil > action.now)
    return { outcome: 'busy' };
  // a dead dispatcher may have got it accepted: only "uncertain" may be said of it
  if (
    record?.state === 'sending' &&
    record.phase === 'ending' &&
    record.owner !== action.owner &&
    action.state !== 'uncertain'
  )
    return { outcome: 'uncertain' };
  const settled: DeliveryRecord = { state: action.state, template, code: action.code, at: action.now };
  // an uncertain command may have reached the person: its template stays taken
  const released = holder === commandId ? null : holder;
  return {
    outcome: 'ok',
    write: { record: settled, holder: action.state === 'uncertain' ? commandId : released },
  };
}
