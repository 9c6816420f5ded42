import { assertNever } from '@tactful/events';

// The delivery record of one command, and how it may change: the state machine of the delivery protocol
// (README, "The delivery protocol"). Pure: the delivery store reads the record and the template's holder,
// asks `transition` what to do, and writes the answer only if neither changed meanwhile.

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

export type DeliveryAction =
  | { readonly type: 'claim'; readonly owner: string; readonly now: number; readonly leaseMs: number }
  | { readonly type: 'end'; readonly owner: string; readonly now: number; readonly leaseMs: number }
  | { readonly type: 'delivered'; readonly now: number; readonly messageId: string }
  | { readonly type: 'release'; readonly owner: string }
  | {
      readonly type: 'settle';
      readonly state: SettledState;
      readonly code: string;
      readonly owner: string;
      readonly now: number;
    };

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

export type ActionOutcome = ClaimOutcome | 'ok' | 'lost' | 'already';

export interface Transition {
  readonly outcome: ActionOutcome;
  /** What to write, if anything: the new record (null = delete) and the template's holder (null = none). */
  readonly write?: {
    readonly record: DeliveryRecord | null;
    readonly holder: string | null;
    readonly deliveredAt?: number;
  };
}

/** Pure. What an action does to a command's slot. */
export function transition(
  slot: DeliverySlot,
  commandId: string,
  template: string,
  action: DeliveryAction,
): Transition {
  const { record, holder } = slot;
  const releasedHolder = holder === commandId ? null : holder;
  switch (action.type) {
    case 'claim': {
      const claim = (attempts: number): DeliveryRecord => ({
        state: 'sending',
        phase: 'claimed',
        owner: action.owner,
        leaseUntil: action.now + action.leaseMs,
        template,
        attempts,
      });
      if (record === null) {
        if (holder !== null && holder !== commandId) return { outcome: 'template_taken' };
        return { outcome: 'claimed', write: { record: claim(1), holder: commandId } };
      }
      if (record.state === 'delivered') return { outcome: 'delivered' };
      if (record.state !== 'sending') return { outcome: 'settled' };
      const mine = record.owner === action.owner;
      if (!mine && record.leaseUntil > action.now) return { outcome: 'busy' };
      // whoever began to end the data may have got it accepted: never sent again blindly
      if (record.phase === 'ending') return { outcome: 'uncertain' };
      return {
        outcome: mine ? 'claimed' : 'recovered',
        write: { record: claim(record.attempts + 1), holder: commandId },
      };
    }
    case 'end':
      if (record?.state !== 'sending' || record.owner !== action.owner) return { outcome: 'lost' };
      return {
        outcome: 'ok',
        write: {
          record: { ...record, phase: 'ending', leaseUntil: action.now + action.leaseMs },
          holder: commandId,
        },
      };
    case 'delivered':
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
    case 'release':
      if (record?.state !== 'sending' || record.owner !== action.owner) return { outcome: 'lost' };
      return { outcome: 'ok', write: { record: null, holder: releasedHolder } };
    case 'settle': {
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
      return {
        outcome: 'ok',
        write: { record: settled, holder: action.state === 'uncertain' ? commandId : releasedHolder },
      };
    }
    default:
      return assertNever(action, 'delivery action');
  }
}
