import { Packr } from 'msgpackr';
import { customerKeys, shardKeys, timerMember } from './keys';
import { encodeRecord } from './record-codec';
import type { CustomerCommit, OutboxMessage, Timer } from './types';

/** The KEYS and ARGV of one script call. */
export interface ScriptCall {
  keys: string[];
  args: (string | Buffer)[];
}

/** One customer of a group, with its shard. */
export interface PlannedCommit {
  shard: number;
  commit: CustomerCommit;
}

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Pure. The outbox value of a group: its messages as MessagePack, [id, topic, key, value] each. */
export function encodeOutbox(messages: readonly OutboxMessage[]): Buffer {
  return packr.pack(messages.map((m) => [m.id, m.topic, m.key, m.value]));
}

/** Pure. The timers that `next` adds or reschedules, and those it drops, compared with `before`. */
export function timerChanges(
  before: readonly Timer[],
  next: readonly Timer[],
): { add: Timer[]; remove: Timer[] } {
  const old = new Map(before.map((t) => [t.id, t]));
  const ids = new Set(next.map((t) => t.id));
  return {
    add: next.filter((t) => old.get(t.id)?.dueAt !== t.dueAt),
    remove: before.filter((t) => !ids.has(t.id)),
  };
}

/** Pure. The sorted union of the loaded ledger and what the commit adds to it. */
export function nextLedger(commit: CustomerCommit): string[] {
  return [...new Set([...commit.loaded.ledger, ...commit.ledgerAdd, ...(commit.ledgerKnown ?? [])])].sort();
}

/**
 * Pure. The call of `lua/commit.lua` for one group of validated commits (one hash slot on a cluster).
 * Every payload is serialised here, once: the records, the outbox, the counters summed over the group.
 * The argument order is documented at the top of the script.
 */
export function commitCall(
  namespace: string,
  group: readonly PlannedCommit[],
  outboxField: string,
): ScriptCall {
  const first = group[0];
  if (first === undefined) throw new Error('commitCall needs at least one commit');
  const home = shardKeys(namespace, first.shard);
  const keys = [home.outbox, home.counters];
  const messages = group.flatMap((p) => p.commit.outbox);
  const counters = new Map<string, number>();
  for (const { commit } of group)
    for (const [name, delta] of Object.entries(commit.counters ?? {}))
      counters.set(name, (counters.get(name) ?? 0) + delta);
  const totals = [...counters].filter(([, delta]) => delta !== 0);
  const args: (string | Buffer)[] = [
    outboxField,
    messages.length === 0 ? '' : encodeOutbox(messages),
    String(totals.length),
    ...totals.flatMap(([name, delta]) => [name, String(delta)]),
    String(group.length),
  ];
  for (const { shard, commit } of group) {
    const { customerId, version } = commit.loaded;
    const c = customerKeys(namespace, shard, customerId);
    keys.push(c.record, c.halts, shardKeys(namespace, shard).timers);
    const record = encodeRecord(
      version + 1,
      {
        state: commit.state,
        ledger: nextLedger(commit),
        timers: commit.timers,
        applied: commit.applied,
      },
      customerId,
    );
    const { add, remove } = timerChanges(commit.loaded.timers, commit.timers);
    args.push(String(version), String(commit.loaded.haltsSeen), record);
    // the marks the load found stale go with the commit's own: their halts are in the record already
    const clear = [...new Set([...commit.loaded.staleHalts, ...commit.clearHalts])];
    args.push(String(clear.length), ...clear);
    args.push(String(remove.length), ...remove.map((t) => timerMember(customerId, t.id)));
    args.push(String(add.length));
    for (const t of add) args.push(String(t.dueAt), timerMember(customerId, t.id));
  }
  return { keys, args };
}
