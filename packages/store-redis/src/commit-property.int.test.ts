import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { commitFrom } from './commit-builder';
import { createStore } from './store';
import { messageFor } from './test-support';
import type { CommitResult, LoadedCustomer } from './types';

// For every sequence of commits, some computed from an older load (a commit that lost a race), some
// sending a template already sent, the store must end exactly where a plain in-memory model ends.

const TEMPLATES = ['wp-welcome', 'wp-checkin', 'wp-case-study', 'wp-pricing', 'wp-webinar', 'wp-last'];

const attempt = fc.record({
  /** 0 = computed from the newest load; otherwise from the load that many commits ago. */
  staleness: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 2 })),
  templates: fc.array(fc.constantFrom(...TEMPLATES), { maxLength: 3 }),
  state: fc.jsonValue(),
});

interface Model {
  version: number;
  state: unknown;
  ledger: Set<string>;
  outbox: string[];
}

function expectedResult(model: Model, from: LoadedCustomer, templates: string[]): CommitResult {
  const seen = new Set(from.ledger);
  for (const template of templates) {
    if (seen.has(template)) return { status: 'ledger_violation', template };
    seen.add(template);
  }
  if (from.version !== model.version) return { status: 'conflict', reason: 'version' };
  return { status: 'committed', version: model.version + 1 };
}

describe('commit, for every sequence', () => {
  test('the store holds the last committed state, the union of committed ledgers and their outboxes', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 15 }), async (attempts) => {
        const customerId = `prop-${run++}`;
        const prefix = `prop${run}`;
        const model: Model = { version: 0, state: null, ledger: new Set(), outbox: [] };
        const loads: LoadedCustomer[] = [await store.load(customerId)];
        for (const [i, a] of attempts.entries()) {
          const from = loads[Math.max(0, loads.length - 1 - a.staleness)]!;
          const message = messageFor(customerId, `cmd-${i.toString(16)}`);
          const commit = commitFrom(from, {
            eventId: `evt-${i}`,
            state: a.state,
            ledgerAdd: a.templates,
            outbox: [message],
          });
          const expected = expectedResult(model, from, a.templates);
          expect(await store.commit(commit, prefix)).toEqual(expected);
          if (expected.status === 'committed') {
            model.version = expected.version;
            model.state = a.state;
            a.templates.forEach((t) => model.ledger.add(t));
            model.outbox.push(message.id);
            loads.push(await store.load(customerId));
          }
        }
        const loaded = await store.load(customerId);
        expect(loaded.version).toBe(model.version);
        // compared as JSON: -0 is stored as 0, as any JSON store would
        expect(JSON.stringify(loaded.state)).toBe(JSON.stringify(model.version === 0 ? null : model.state));
        expect(loaded.ledger).toEqual([...model.ledger].sort());
        const pending = await store.pendingOutbox(prefix);
        expect(pending.flatMap((p) => p.messages.map((m) => m.id)).sort()).toEqual([...model.outbox].sort());
      }),
      { numRuns: 30 },
    );
  });
});
