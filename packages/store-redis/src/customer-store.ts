import { TactfulError } from '@tactful/events';
import { commitCall } from './commit-call';
import type { StoreContext } from './context';
import { sortHalts } from './halts';
import { parseJson } from './json';
import { redisCall, storeError } from './redis-errors';
import type { AuditEntry, CommitBatch, CommitResult, HaltMark, LoadedCustomer, OutboxCommand } from './types';
import { assertNoProblems, batchProblems } from './validate';

// The kinds of the store's own customer keys (keys.ts); another component's kind must differ.
const STORE_KINDS = new Set([
  'state',
  'events',
  'ledger',
  'outbox',
  'outbox-order',
  'audit',
  'timers',
  'halts',
]);

/** Pure. The reply of `commit.lua` as a result; anything else means the script and this code disagree. */
export function parseCommitReply(reply: unknown): CommitResult {
  const [status, value, reason] = Array.isArray(reply) ? (reply as unknown[]) : [];
  if (status === 'committed' && typeof value === 'number') return { status, version: value };
  if (status === 'duplicate') return { status };
  if (status === 'conflict' && typeof value === 'number' && (reason === 'version' || reason === 'halts'))
    return { status, version: value, reason };
  if (status === 'ledger_violation' && typeof value === 'string') return { status, template: value };
  throw new TactfulError('internal', `unexpected reply of the commit script: ${JSON.stringify(reply)}`);
}

/** Unpacks one reply of a MULTI, failing with the command's own error. */
function execResult<T>(results: [Error | null, unknown][] | null, index: number, what: string): T {
  const entry = results?.[index];
  if (entry === undefined) throw new TactfulError('internal', `${what}: the transaction was discarded`);
  if (entry[0] !== null) throw storeError(entry[0], what);
  return entry[1] as T;
}

export function createCustomerStore<C extends OutboxCommand, A extends AuditEntry>(
  ctx: StoreContext,
  ready: () => Promise<void>,
) {
  return {
    /** The customer as the last commit left it, with every template sent and every halt mark. */
    async load(customerId: string): Promise<LoadedCustomer> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const what = `loading customer ${customerId}`;
      // one MULTI: state, ledger and halts from the same instant, so the version describes all three
      const results = await redisCall(what, () =>
        ctx.redis.multi().hmget(keys.state, 'v', 's').smembers(keys.ledger).hvals(keys.halts).exec(),
      );
      const [version, state] = execResult<(string | null)[]>(results, 0, what);
      const ledger = execResult<string[]>(results, 1, what);
      const halts = sortHalts(
        execResult<string[]>(results, 2, what).map((h) =>
          parseJson<HaltMark>(h, `a halt mark of ${customerId}`),
        ),
      );
      if ((version == null) !== (state == null))
        throw new TactfulError(
          'internal',
          `state of ${customerId} (${keys.state}) is damaged: v or s missing`,
        );
      return {
        version: version == null ? 0 : Number(version),
        state: state == null ? null : parseJson(state, `state of ${customerId}`),
        ledger: [...ledger].sort(),
        halts,
        halt: halts[0] ?? null,
      };
    },

    /** Whether the event was committed for this customer (among the newest `processedIdsKept`). */
    async isProcessed(customerId: string, eventId: string): Promise<boolean> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const score = await redisCall(`checking event ${eventId} of ${customerId}`, () =>
        ctx.redis.zscore(keys.events, eventId),
      );
      return score !== null;
    },

    /**
     * Commits everything one event did to one customer, atomically, if the event is new, the stored
     * version is `expectedVersion` and no template of `ledgerAdd` was sent before; else writes nothing.
     */
    async commit(batch: CommitBatch<C, A>): Promise<CommitResult> {
      assertNoProblems(`commit batch for event ${batch.eventId}`, batchProblems(batch));
      const { shard } = ctx.customer(batch.customerId);
      await ready();
      const { keys, args } = commitCall(ctx.namespace, shard, batch, ctx);
      const reply = await redisCall(`committing event ${batch.eventId} of ${batch.customerId}`, () =>
        ctx.scripts.commit(...keys, ...args),
      );
      return parseCommitReply(reply);
    },

    /**
     * Appends audit records outside a commit (the dispatcher's last-mile decisions), trimmed to the newest
     * `auditKept` like those of a commit. Not idempotent: a caller that retries may record one twice.
     */
    async appendAudit(customerId: string, records: readonly A[]): Promise<void> {
      const { keys } = ctx.customer(customerId);
      if (records.length === 0) return;
      await ready();
      const what = `appending to the audit of ${customerId}`;
      const results = await redisCall(what, () =>
        ctx.redis
          .multi()
          .rpush(keys.audit, ...records.map((record) => JSON.stringify(record)))
          .ltrim(keys.audit, -ctx.auditKept, -1)
          .exec(),
      );
      execResult<number>(results, 0, what);
      execResult<string>(results, 1, what);
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
      return keys.state.replace(/:state$/, `:${kind}`);
    },

    /** The customer's newest audit records (at most `limit`, default all kept), oldest first. */
    async audit(customerId: string, limit = ctx.auditKept): Promise<A[]> {
      const { keys } = ctx.customer(customerId);
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw new TactfulError('internal', `audit limit must be a positive integer, got ${limit}`);
      await ready();
      const entries = await redisCall(`reading the audit of ${customerId}`, () =>
        ctx.redis.lrange(keys.audit, -limit, -1),
      );
      return entries.map((e) => parseJson<A>(e, `an audit record of ${customerId}`));
    },
  };
}
