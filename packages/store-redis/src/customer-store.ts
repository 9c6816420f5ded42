import { randomBytes } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { TactfulError, type HaltMark } from '@tactful/events';
import { appliedBefore, emptyAppliedLog, type EventPosition } from './applied-log';
import { commitCall, type PlannedCommit } from './commit-call';
import type { StoreContext } from './context';
import { readHaltMarks, splitHalts } from './halts';
import { decodeRecord } from './record-codec';
import { redisCall, storeError } from './redis-errors';
import type { CommitMany, CommitResult, CustomerCommit, LoadedCustomer, OutboxField } from './types';
import { assertNoProblems, commitProblems, ledgerViolation } from './validate';

// The kinds of the store's own customer keys (keys.ts); another component's kind must differ.
const STORE_KINDS = new Set(['r', 'halts']);

type Replies = [Error | null, unknown][] | null;

/** Unpacks one reply of a pipeline or MULTI, failing with the command's own error. */
function replyAt<T>(results: Replies, index: number, what: string): T {
  const entry = results?.[index];
  if (entry === undefined) throw new TactfulError('internal', `${what}: the transaction was discarded`);
  if (entry[0] !== null) throw storeError(entry[0], what);
  return entry[1] as T;
}

/**
 * Pure. A customer as the record and the halt marks read describe it. Stale marks are listed, not deleted:
 * telling them needs the record's applied log, deep in its MessagePack body, so a load script deleting them
 * would need a second text of `appliedBefore` in Lua, and one that took a live mark for stale would let a
 * send through after a reply (invariant 4). The next commit deletes them (`commit-call.ts`), in the script
 * that checks the mark count.
 */
export function loadedFrom(customerId: string, record: Buffer | null, marks: string[]): LoadedCustomer {
  const decoded = record === null ? null : decodeRecord(record, customerId);
  const applied = decoded?.record.applied ?? emptyAppliedLog();
  const all = readHaltMarks(marks, customerId);
  const { live: halts, stale } = splitHalts(applied, all);
  return {
    customerId,
    version: decoded?.version ?? 0,
    state: decoded?.record.state ?? null,
    ledger: decoded ? [...decoded.record.ledger].sort() : [],
    timers: decoded ? [...decoded.record.timers].sort((a, b) => a.dueAt - b.dueAt) : [],
    halts,
    halt: halts[0] ?? null,
    staleHalts: stale.map((mark) => mark.eventId),
    haltsSeen: all.length,
    applied,
  };
}

function parseGroupReply(
  reply: unknown,
): { committed: true } | { committed: false; conflicts: Map<number, 'version' | 'halts'> } {
  if (!Array.isArray(reply))
    throw new TactfulError('internal', `unexpected reply of the commit script: ${JSON.stringify(reply)}`);
  if (reply[0] === 'committed') return { committed: true };
  const conflicts = new Map<number, 'version' | 'halts'>();
  for (let i = 1; i + 1 < reply.length; i += 2) {
    const [index, reason] = [reply[i], reply[i + 1]];
    if (typeof index !== 'number' || (reason !== 'version' && reason !== 'halts'))
      throw new TactfulError('internal', `unexpected reply of the commit script: ${JSON.stringify(reply)}`);
    conflicts.set(index - 1, reason);
  }
  if (reply[0] !== 'conflict' || conflicts.size === 0)
    throw new TactfulError('internal', `unexpected reply of the commit script: ${JSON.stringify(reply)}`);
  return { committed: false, conflicts };
}

/** Groups that may share one script call: all of them on one Redis, one per shard (slot) on a cluster. */
function groupsOf<T extends { shard: number }>(ctx: StoreContext, items: T[]): T[][] {
  if (!ctx.redis.isCluster) return items.length === 0 ? [] : [items];
  const byShard = new Map<number, T[]>();
  for (const item of items) byShard.set(item.shard, [...(byShard.get(item.shard) ?? []), item]);
  return [...byShard.values()];
}

/** Customers of one group in one pipeline: not one snapshot (see `loadMany`). */
async function loadGroup(
  ctx: StoreContext,
  ids: { customerId: string; shard: number }[],
): Promise<LoadedCustomer[]> {
  const what = `loading ${ids.length} customer(s)`;
  const pipeline: ChainableCommander = ctx.redis.pipeline();
  for (const { customerId } of ids) {
    const { keys } = ctx.customer(customerId);
    pipeline.getBuffer(keys.record).hvals(keys.halts);
  }
  const results = await redisCall(what, () => pipeline.exec());
  return ids.map(({ customerId }, i) =>
    loadedFrom(
      customerId,
      replyAt<Buffer | null>(results, 2 * i, what),
      replyAt<string[]>(results, 2 * i + 1, what),
    ),
  );
}

/** The customer as the last commit left it: record, live halt marks, in one consistent read (MULTI). */
async function loadOne(
  ctx: StoreContext,
  ready: () => Promise<void>,
  customerId: string,
): Promise<LoadedCustomer> {
  const { keys } = ctx.customer(customerId);
  await ready();
  const what = `loading customer ${customerId}`;
  const results = await redisCall(what, () =>
    ctx.redis.multi().getBuffer(keys.record).hvals(keys.halts).exec(),
  );
  return loadedFrom(
    customerId,
    replyAt<Buffer | null>(results, 0, what),
    replyAt<string[]>(results, 1, what),
  );
}

/**
 * One group's script call, its outbox under `field`: fills in `results` for the group's commits and adds
 * the field to `written` when the group committed an outbox.
 */
async function commitGroup(
  ctx: StoreContext,
  group: (PlannedCommit & { at: number })[],
  field: string,
  results: CommitResult[],
  written: OutboxField[],
): Promise<void> {
  const { keys, args } = commitCall(ctx.namespace, group, field);
  const reply = await redisCall(`committing ${group.length} customer(s)`, () =>
    ctx.scripts.commit(String(keys.length), ...keys, ...args),
  );
  const parsed = parseGroupReply(reply);
  if (parsed.committed && group.some((p) => p.commit.outbox.length > 0))
    written.push({ shard: group[0]!.shard, field });
  group.forEach((p, i) => {
    const reason = parsed.committed ? undefined : parsed.conflicts.get(i);
    results[p.at] = parsed.committed
      ? { status: 'committed', version: p.commit.loaded.version + 1 }
      : reason === undefined
        ? { status: 'not_written' }
        : { status: 'conflict', reason };
  });
}

export function createCustomerStore(ctx: StoreContext, ready: () => Promise<void>) {
  // outbox fields are `<prefix>:<store instance>:<commit call>:<group>`: unique without coordination
  const instance = randomBytes(6).toString('hex');
  let calls = 0;

  async function commitMany(commits: readonly CustomerCommit[], outboxPrefix: string): Promise<CommitMany> {
    for (const commit of commits)
      assertNoProblems(`commit of ${commit.loaded.customerId}`, commitProblems(commit));
    const results: CommitResult[] = new Array<CommitResult>(commits.length);
    const planned: (PlannedCommit & { at: number })[] = [];
    commits.forEach((commit, at) => {
      const template = ledgerViolation(commit);
      if (template !== undefined) results[at] = { status: 'ledger_violation', template };
      else planned.push({ at, commit, shard: ctx.customer(commit.loaded.customerId).shard });
    });
    await ready();
    const call = (calls += 1);
    const written: OutboxField[] = [];
    await Promise.all(
      groupsOf(ctx, planned).map((group, g) =>
        commitGroup(ctx, group, `${outboxPrefix}:${instance}:${call}:${g}`, results, written),
      ),
    );
    return { results, outbox: written };
  }

  /** The customer as the last commit left it: record, live halt marks, in one consistent read (MULTI). */
  async function load(customerId: string): Promise<LoadedCustomer> {
    return loadOne(ctx, ready, customerId);
  }

  return {
    load,

    /**
     * The customer's marks whose events the record has not applied yet, oldest first: the record and
     * every mark read in one round trip (`load`'s MULTI, so one consistent view) and split by
     * `splitHalts`, the one rule of what is stale. For a check made after a `load` (the dispatcher's,
     * before a delivery): a mark of that load missing here has been applied since.
     */
    async liveHalts(customerId: string): Promise<HaltMark[]> {
      return (await load(customerId)).halts;
    },

    /**
     * Many customers in one round trip per group (one pipeline; per shard on a cluster), in the order
     * given. Not one snapshot across customers, nor between a record and its halt marks: a commit computed
     * from it is refused if either changed, which is what makes that safe.
     */
    async loadMany(customerIds: readonly string[]): Promise<LoadedCustomer[]> {
      const ids = [...new Set(customerIds)].map((customerId) => ({
        customerId,
        shard: ctx.customer(customerId).shard,
      }));
      await ready();
      const loaded = await Promise.all(groupsOf(ctx, ids).map((group) => loadGroup(ctx, group)));
      const byId = new Map(loaded.flat().map((c) => [c.customerId, c]));
      return customerIds.map((id) => byId.get(id)!);
    },

    /** Whether the record has applied the event: at or before `position`, or among its recent ids. */
    async isProcessed(customerId: string, eventId: string, position?: EventPosition): Promise<boolean> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const record = await redisCall(`checking event ${eventId} of ${customerId}`, () =>
        ctx.redis.getBuffer(keys.record),
      );
      if (record === null) return false;
      return appliedBefore(decodeRecord(record, customerId).record.applied, eventId, position) !== false;
    },

    /**
     * Commits customers atomically per group (all of them on one Redis; per hash slot on a cluster),
     * each group's outbox under one field starting with `outboxPrefix:` (see `pendingOutbox`). A group
     * is written only if every record and halt count in it is as loaded; the results say, per commit in
     * the order given, which were written and which must be recomputed (`conflict`, `ledger_violation`)
     * or only committed again (`not_written`: another customer of its group was refused).
     */
    commitMany,

    /** `commitMany` of one customer. */
    async commit(commit: CustomerCommit, outboxPrefix = 'single'): Promise<CommitResult> {
      const { results } = await commitMany([commit], outboxPrefix);
      return results[0]!;
    },

    /**
     * Pure. A key of the customer's own, beside the store's, for another component's data (the
     * dispatcher's delivery records): `N:{s17}:c:<id>:<kind>`, in the customer's slot, so a script may
     * touch it together with the store's keys of that customer. `kind` must not be one the store uses.
     */
    customerKey(customerId: string, kind: string): string {
      const { keys } = ctx.customer(customerId);
      if (!/^[a-z][a-z0-9-]*$/.test(kind) || STORE_KINDS.has(kind))
        throw new TactfulError(
          'internal',
          `"${kind}" cannot name a customer key (lower-case kebab, not a store kind)`,
        );
      return keys.halts.replace(/:halts$/, `:${kind}`);
    },
  };
}
