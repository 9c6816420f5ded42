import type { AuditRecord } from '@tactful/events';
import { compare } from './catalog';

/** How many decisions of one kind, and how many people they concern. */
export interface TallyCount {
  readonly decisions: number;
  readonly people: number;
}

/** One journey's decisions counted the way a marketer asks: who enters, what is sent, what is held and why. */
export interface DecisionTally {
  readonly entered: TallyCount;
  /** Entries refused (`suppressed` without a template: "not entered: …"), by code. */
  readonly notEntered: Readonly<Record<string, TallyCount>>;
  /** Sends, by template. */
  readonly sent: Readonly<Record<string, TallyCount>>;
  /** Sends held back, by the policy's code. */
  readonly deferred: Readonly<Record<string, TallyCount>>;
  /** Sends dropped, by code. */
  readonly suppressed: Readonly<Record<string, TallyCount>>;
  readonly halted: Readonly<Record<string, TallyCount>>;
  readonly completed: Readonly<Record<string, TallyCount>>;
  readonly rejected: Readonly<Record<string, TallyCount>>;
  /** One reason as written in an audit record, for each `<part>:<key>` above (`deferred:max_per_day`). */
  readonly reasons: Readonly<Record<string, string>>;
}

type Part = Exclude<keyof DecisionTally, 'entered' | 'reasons'>;

/** A tally being counted, one decision at a time. */
export interface DecisionCounter {
  add(record: AuditRecord): void;
  result(): DecisionTally;
}

/** Pure. Counts the decisions about `journey` (every other journey's are skipped). */
export function createDecisionCounter(journey: string): DecisionCounter {
  const groups = new Map<string, { decisions: number; people: Set<string> }>();
  const reasons = new Map<string, string>();

  function count(key: string, record: AuditRecord): void {
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { decisions: 0, people: new Set() }));
    group.decisions += 1;
    group.people.add(record.customerId);
    if (!reasons.has(key)) reasons.set(key, record.reason);
  }

  return {
    add(record) {
      if (record.journey !== journey) return;
      const code = record.code ?? 'unknown';
      switch (record.decision) {
        case 'entered':
          return count('entered:', record);
        case 'sent':
          return count(`sent:${record.template ?? '?'}`, record);
        case 'suppressed':
          return count(`${record.template === undefined ? 'notEntered' : 'suppressed'}:${code}`, record);
        case 'deferred':
        case 'halted':
        case 'completed':
        case 'rejected':
          return count(`${record.decision}:${code}`, record);
        default: {
          const unknown: never = record.decision;
          return count(`rejected:${String(unknown)}`, record);
        }
      }
    },
    result() {
      const part = (name: Part): Record<string, TallyCount> =>
        Object.fromEntries(
          [...groups.entries()]
            .filter(([key]) => key.startsWith(`${name}:`))
            .map(
              ([key, g]) =>
                [key.slice(name.length + 1), { decisions: g.decisions, people: g.people.size }] as const,
            )
            .sort(([a], [b]) => compare(a, b)),
        );
      const entered = groups.get('entered:');
      return {
        entered: { decisions: entered?.decisions ?? 0, people: entered?.people.size ?? 0 },
        notEntered: part('notEntered'),
        sent: part('sent'),
        deferred: part('deferred'),
        suppressed: part('suppressed'),
        halted: part('halted'),
        completed: part('completed'),
        rejected: part('rejected'),
        reasons: Object.fromEntries([...reasons.entries()].sort(([a], [b]) => compare(a, b))),
      };
    },
  };
}

/** Pure. The tally of some audit records about `journey`. */
export function tallyDecisions(records: Iterable<AuditRecord>, journey: string): DecisionTally {
  const counter = createDecisionCounter(journey);
  for (const record of records) counter.add(record);
  return counter.result();
}
