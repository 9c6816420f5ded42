import { customerKeys, shardKeys, timerMember } from './keys';
import type { AuditEntry, CommitBatch, OutboxCommand } from './types';

/** The KEYS and ARGV of one script call. */
export interface ScriptCall {
  keys: string[];
  args: string[];
}

export interface CommitLimits {
  processedIdsKept: number;
  auditKept: number;
}

/**
 * Pure. The call of `commit.lua` for a validated batch. Every payload is serialised here, once, and
 * stored by the script byte for byte: decoding and re-encoding JSON in Lua would change it (cjson turns
 * `[]` into `{}` and escapes `/`). The argument order is documented at the top of `lua/commit.lua`.
 */
export function commitCall<C extends OutboxCommand, A extends AuditEntry>(
  namespace: string,
  shard: number,
  batch: CommitBatch<C, A>,
  limits: CommitLimits,
): ScriptCall {
  const c = customerKeys(namespace, shard, batch.customerId);
  const s = shardKeys(namespace, shard);
  const keys = [c.state, c.events, c.ledger, c.outbox, c.outboxOrder, c.audit, c.timers, c.halts];
  keys.push(s.timers, s.outboxPending, s.counters);
  const args = [
    batch.customerId,
    String(batch.expectedVersion),
    batch.eventId,
    JSON.stringify(batch.state),
    String(limits.processedIdsKept),
    String(limits.auditKept),
    batch.haltsSeen === undefined ? '' : String(batch.haltsSeen),
  ];
  args.push(String(batch.ledgerAdd.length), ...batch.ledgerAdd);
  args.push(String(batch.timersCancel.length));
  for (const id of batch.timersCancel) args.push(id, timerMember(batch.customerId, id));
  args.push(String(batch.timersAdd.length));
  for (const t of batch.timersAdd)
    args.push(t.id, timerMember(batch.customerId, t.id), String(t.dueAt), JSON.stringify(t));
  args.push(String(batch.outbox.length));
  for (const command of batch.outbox) args.push(command.id, JSON.stringify(command));
  args.push(String(batch.audit.length), ...batch.audit.map((a) => JSON.stringify(a)));
  const counters = Object.entries(batch.counters ?? {}).filter(([, delta]) => delta !== 0);
  args.push(String(counters.length));
  for (const [field, delta] of counters) args.push(field, String(delta));
  return { keys, args };
}
