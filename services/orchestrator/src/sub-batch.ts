import { TactfulError } from '@tactful/events';
import { isTransientError, itemFailure, type BatchOutcome } from '@tactful/kafka';
import type { Logger } from '@tactful/observability';
import type {
  CommitMany,
  CustomerCommit,
  LoadedCustomer,
  OutboxField,
  OutboxMessage,
  Store,
} from '@tactful/store-redis';
import {
  applyCustomer,
  type ApplyContext,
  type CustomerApplied,
  type EventFailure,
  type PositionedEvent,
} from './customer-apply';

export interface SubBatchDeps {
  readonly store: Pick<Store, 'loadMany' | 'commitMany'>;
  readonly logger: Logger;
  /** Read per round, so a reload of the journeys takes effect at the next one. */
  readonly context: () => ApplyContext;
  /**
   * Dead-letters event `index` of the sub-batch at once (the consumer's `progress.deadLetter`), resolving
   * once the DLQ has it: the customer's later events wait for it.
   */
  readonly deadLetter: (index: number, error: unknown) => Promise<void>;
  /** How often customers whose commit lost a race (a concurrent halt, a rebalance) are recomputed. */
  readonly maxAttempts?: number;
}

/** A sub-batch applied and committed: what to relay, what to acknowledge after, and per event what became of it. */
export interface SubBatchResult {
  /** Per event: `applied`, `duplicate`, or the `itemFailure` of one already dead-lettered. */
  readonly outcomes: BatchOutcome[];
  /** Every committed message, customers in order of first appearance, each customer's in event order. */
  readonly messages: OutboxMessage[];
  /** The outbox fields the commits wrote: removed once `messages` are on Kafka. */
  readonly outbox: OutboxField[];
  /** Whether an event was recognised as applied before (a redelivery): its outbox may be pending. */
  readonly duplicates: boolean;
  /** The steps of the committed customers, for metrics. */
  readonly steps: CustomerApplied['steps'];
}

/** One customer of a sub-batch: its events (indexes into the sub-batch) and how far they are done. */
interface CustomerRun {
  readonly indexes: readonly number[];
  /** Events before this one are applied, duplicates or dead-lettered. */
  next: number;
  /** Applied one event per commit: its commit of several events failed, so the failing one is found. */
  single: boolean;
  readonly messages: OutboxMessage[];
  readonly steps: CustomerApplied['steps'];
}

/** What one round did for a customer: its events handled (committed, or not needing a commit). */
type RoundResult =
  | { readonly kind: 'done'; readonly applied: CustomerApplied }
  /** Loading it failed: its next event fails with the error. */
  | { readonly kind: 'failed'; readonly failure: EventFailure }
  /** Its commit of several events failed: applied again one event per commit. */
  | { readonly kind: 'split' };

/**
 * Applies one sub-batch of a partition: one pipelined load of every customer in it, each customer's
 * events stepped in memory in order, then one atomic commit per hash-slot group (`commitMany`) with the
 * outbox prefix `outboxPrefix`. Customers whose commit lost a race are loaded and stepped again; the
 * others of their group are committed again as they were.
 *
 * An event that fails for a reason of its own (its step, its customer's load or commit throws an error
 * that is not transient) is dead-lettered alone, in rounds: a round commits every customer's events up
 * to its first failure (the other customers of the group commit as usual), the failed events are then
 * dead-lettered, and the next round applies what came after them. So a customer's later events are
 * applied in order, on the state without the failed one, and never committed before it is in the DLQ.
 * A commit of several events that fails is applied again one event per commit, to find the event.
 */
export async function applySubBatch(
  deps: SubBatchDeps,
  events: readonly PositionedEvent[],
  outboxPrefix: string,
): Promise<SubBatchResult> {
  const runs = new Map<string, CustomerRun>();
  events.forEach(({ event }, i) => {
    const run = runs.get(event.subject);
    if (run) (run.indexes as number[]).push(i);
    else runs.set(event.subject, { indexes: [i], next: 0, single: false, messages: [], steps: [] });
  });
  const outcomes = new Array<BatchOutcome>(events.length);
  const fields: OutboxField[] = [];
  let duplicates = false;
  for (;;) {
    const open = [...runs].filter(([, run]) => run.next < run.indexes.length);
    if (open.length === 0) break;
    const remaining = (run: CustomerRun) => run.indexes.slice(run.next).map((i) => events[i]!);
    const round = await commitRound(deps, new Map(open.map(([c, run]) => [c, run])), remaining, outboxPrefix);
    fields.push(...round.outbox);
    const failures: EventFailure[] = [];
    for (const [customerId, result] of round.results) {
      const run = runs.get(customerId)!;
      if (result.kind === 'split') {
        run.single = true;
        continue;
      }
      const applied = result.kind === 'done' ? result.applied : undefined;
      const failure = result.kind === 'failed' ? result.failure : applied?.failure;
      for (const outcome of applied?.outcomes ?? []) {
        outcomes[run.indexes[run.next]!] = outcome;
        if (outcome === 'duplicate') duplicates = true;
        run.next += 1;
      }
      if (applied?.commit) run.messages.push(...applied.commit.outbox);
      run.steps.push(...(applied?.steps ?? []));
      if (failure !== undefined) {
        const index = run.indexes[run.next]!;
        deps.logger.error(
          { customerId, eventId: events[index]!.event.id, err: failure.error },
          'applying the event failed; dead-lettering it',
        );
        failures.push({ at: index, error: failure.error });
        outcomes[index] = itemFailure(failure.error);
        run.next += 1;
      }
    }
    // in the DLQ before the next round commits anything after them
    for (const { at, error } of failures) await deps.deadLetter(at, error);
  }
  const customers = [...runs.values()];
  return {
    outcomes,
    messages: customers.flatMap((run) => run.messages),
    outbox: fields,
    duplicates,
    steps: customers.flatMap((run) => run.steps),
  };
}

/**
 * One round: each customer's remaining events (one if it is `single`) loaded, stepped and committed,
 * retried while commits lose races. A customer is in the results once its commit is written (or it
 * needed none), or when its load or its commit failed for a reason of its own.
 */
async function commitRound(
  deps: SubBatchDeps,
  open: ReadonlyMap<string, CustomerRun>,
  remaining: (run: CustomerRun) => PositionedEvent[],
  outboxPrefix: string,
): Promise<{ results: Map<string, RoundResult>; outbox: OutboxField[] }> {
  const results = new Map<string, RoundResult>();
  const outbox: OutboxField[] = [];
  let pending = [...open.keys()];
  let computed = new Map<string, CustomerApplied>();
  const maxAttempts = deps.maxAttempts ?? 10;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts)
      throw TactfulError.retriable(
        'store.conflict',
        `${pending.length} customer(s) kept losing commit races`,
      );
    const ctx = deps.context();
    for (const loaded of await loadEach(
      deps,
      pending.filter((c) => !computed.has(c)),
      results,
    )) {
      const run = open.get(loaded.customerId)!;
      computed.set(loaded.customerId, applyCustomer(loaded, remaining(run), ctx, run.single ? 1 : undefined));
    }
    pending = pending.filter((c) => !results.has(c));
    const toCommit = pending.filter((c) => computed.get(c)!.commit !== null);
    for (const c of pending.filter((c) => computed.get(c)!.commit === null))
      results.set(c, { kind: 'done', applied: computed.get(c)! });
    const commits = toCommit.map((c) => computed.get(c)!.commit!);
    const committed = await commitEach(deps, commits, outboxPrefix);
    outbox.push(...committed.outbox);
    const next = new Map<string, CustomerApplied>();
    const retry: string[] = [];
    toCommit.forEach((customerId, i) => {
      const result = committed.results[i]!;
      const applied = computed.get(customerId)!;
      if (result === 'failed') {
        results.set(customerId, failedCommit(applied, customerId, committed.errors.get(i)));
        return;
      }
      switch (result.status) {
        case 'committed':
          results.set(customerId, { kind: 'done', applied });
          return;
        case 'not_written':
          next.set(customerId, applied);
          break;
        case 'conflict':
          deps.logger.debug({ customerId, reason: result.reason, attempt }, 'commit lost a race');
          break;
        case 'ledger_violation':
          // the state and the ledger disagreed; the reload merges the ledger and the engine suppresses
          deps.logger.warn({ customerId, template: result.template }, 'ledger refused a send');
          break;
        default: {
          const unknown: never = result;
          throw new TactfulError('internal', `unknown commit result ${JSON.stringify(unknown)}`);
        }
      }
      retry.push(customerId);
    });
    pending = retry;
    computed = next;
  }
  return { results, outbox };
}

/** What a commit that failed for a reason of its own makes of its customer's round. */
function failedCommit(applied: CustomerApplied, customerId: string, error: unknown): RoundResult {
  const stepped = applied.outcomes.filter((o) => o === 'applied').length;
  if (stepped === 0) throw new TactfulError('internal', `a commit of ${customerId} without an event`);
  if (stepped > 1) return { kind: 'split' };
  // one event in it: that event failed; the ones before it were duplicates, the ones after are held
  const at = applied.outcomes.indexOf('applied');
  return {
    kind: 'done',
    applied: { commit: null, outcomes: applied.outcomes.slice(0, at), steps: [], failure: { at, error } },
  };
}

/**
 * `loadMany`, or when it fails for a reason of a customer's own (a record that cannot be read), each
 * customer alone; those that still fail are put in `results` as failed.
 */
async function loadEach(
  deps: SubBatchDeps,
  customerIds: string[],
  results: Map<string, RoundResult>,
): Promise<LoadedCustomer[]> {
  try {
    return await deps.store.loadMany(customerIds);
  } catch (err) {
    if (isTransientError(err)) throw err;
    if (customerIds.length === 1) {
      results.set(customerIds[0]!, { kind: 'failed', failure: { at: 0, error: err } });
      return [];
    }
    deps.logger.warn({ err, customers: customerIds.length }, 'loading failed; loading the customers alone');
  }
  const loaded: LoadedCustomer[] = [];
  for (const customerId of customerIds) loaded.push(...(await loadEach(deps, [customerId], results)));
  return loaded;
}

/**
 * `commitMany`, or when it fails for a reason of a commit's own (one the store refuses, one it cannot
 * encode), each commit alone, so the other customers of its group still commit; those that still fail
 * are `failed`, with their error.
 */
async function commitEach(
  deps: SubBatchDeps,
  commits: readonly CustomerCommit[],
  outboxPrefix: string,
): Promise<{
  results: (CommitMany['results'][number] | 'failed')[];
  outbox: OutboxField[];
  errors: Map<number, unknown>;
}> {
  if (commits.length === 0) return { results: [], outbox: [], errors: new Map() };
  try {
    return { ...(await deps.store.commitMany(commits, outboxPrefix)), errors: new Map() };
  } catch (err) {
    if (isTransientError(err)) throw err;
    if (commits.length === 1) return { results: ['failed'], outbox: [], errors: new Map([[0, err]]) };
    deps.logger.warn(
      { err, customers: commits.length },
      'a group commit failed; committing its customers alone',
    );
  }
  const results: (CommitMany['results'][number] | 'failed')[] = [];
  const outbox: OutboxField[] = [];
  const errors = new Map<number, unknown>();
  for (const [i, commit] of commits.entries()) {
    const one = await commitEach(deps, [commit], outboxPrefix);
    results.push(one.results[0]!);
    outbox.push(...one.outbox);
    if (one.errors.has(0)) errors.set(i, one.errors.get(0));
  }
  return { results, outbox, errors };
}
