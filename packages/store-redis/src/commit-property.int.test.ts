import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { createStore } from './store';
import type { CommitResult, OutboxCommand } from './types';
import { batchFor, commandFor } from './test-support';

// For every sequence of commits, some of them failing (stale versions, replayed event ids, templates
// already sent), the store must end exactly where a plain in-memory model of the protocol ends.

const TEMPLATES = ['wp-welcome', 'wp-checkin', 'wp-case-study', 'wp-pricing', 'wp-webinar', 'wp-last'];

const attempt = fc.record({
  /** null = a new event id; a number picks an id used before (a replay). */
  replay: fc.option(fc.nat(), { nil: null }),
  /** 0 = the right version; otherwise off by that much (a commit that lost a race). */
  versionSkew: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -2, max: 2 })),
  templates: fc.array(fc.constantFrom(...TEMPLATES), { maxLength: 3 }),
  state: fc.jsonValue(),
});

interface Model {
  version: number;
  state: unknown;
  ledger: Set<string>;
  processed: string[];
  outbox: OutboxCommand[];
}

/** What the protocol says a commit must answer, in the order the script checks. */
function expectedResult(
  model: Model,
  eventId: string,
  expectedVersion: number,
  templates: string[],
): CommitResult {
  if (model.processed.includes(eventId)) return { status: 'duplicate' };
  if (expectedVersion !== model.version)
    return { status: 'conflict', version: model.version, reason: 'version' };
  const seen = new Set<string>();
  for (const template of templates) {
    if (seen.has(template) || model.ledger.has(template)) return { status: 'ledger_violation', template };
    seen.add(template);
  }
  return { status: 'committed', version: model.version + 1 };
}

describe('commit, for every sequence', () => {
  test('the store holds the last committed state and the union of committed ledgers', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 15 }), async (attempts) => {
        const customerId = `prop-${run++}`;
        const model: Model = { version: 0, state: null, ledger: new Set(), processed: [], outbox: [] };
        const used: string[] = [];
        for (const [i, a] of attempts.entries()) {
          const eventId = a.replay === null || used.length === 0 ? `evt-${i}` : used[a.replay % used.length]!;
          used.push(eventId);
          const expectedVersion = Math.max(0, model.version + a.versionSkew);
          const command = commandFor(customerId, `cmd-${i.toString(16)}`);
          const batch = batchFor(customerId, eventId, expectedVersion, {
            state: a.state,
            ledgerAdd: a.templates,
            outbox: [command],
          });
          const expected = expectedResult(model, eventId, expectedVersion, a.templates);
          expect(await store.commit(batch)).toEqual(expected);
          if (expected.status === 'committed') {
            model.version = expected.version;
            model.state = a.state;
            a.templates.forEach((t) => model.ledger.add(t));
            model.processed.push(eventId);
            model.outbox.push(command);
          }
        }
        const loaded = await store.load(customerId);
        expect(loaded.version).toBe(model.version);
        // JSON round trip: -0 is stored as 0, as any JSON store would
        expect(loaded.state).toEqual(JSON.parse(JSON.stringify(model.state)));
        expect(loaded.ledger).toEqual([...model.ledger].sort());
        expect(await store.pendingOutbox(customerId)).toEqual(model.outbox);
        for (const eventId of new Set(used))
          expect(await store.isProcessed(customerId, eventId)).toBe(model.processed.includes(eventId));
      }),
      { numRuns: 30 },
    );
  });
});
