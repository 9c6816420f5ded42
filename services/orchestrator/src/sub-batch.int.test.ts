import { describe, expect } from 'vitest';
import type { JourneyCatalog, CatalogEntry } from '@tactful/engine';
import { topicsFor, type EmailSendCommand, type TactfulEvent } from '@tactful/events';
import { isItemFailure, type BatchOutcome } from '@tactful/kafka';
import { createLogger } from '@tactful/observability';
import { createStore } from '@tactful/store-redis';
import { test } from '@tactful/testing';
import { contextFor, eventMaker } from './test-kit';
import { applySubBatch } from './sub-batch';

// One event of a sub-batch that fails for a reason of its own (its step throws; its commit cannot be
// stored) is dead-lettered alone: the other customers, of the sub-batch and of the same group commit,
// are committed; the failing customer's events before it are committed, and its events after it only
// once the failed one is in the DLQ, so the record's applied offset never passes an event not yet there.

const logger = createLogger({ level: 'silent', name: 'test' });

/** The catalog with every journey's step throwing a RangeError for a `page.viewed` of `url: poison`. */
function poisoned(catalog: JourneyCatalog): JourneyCatalog {
  const wrap = (entry: CatalogEntry): CatalogEntry => {
    const { steps } = entry;
    return {
      ...entry,
      steps: {
        journeyId: steps.journeyId,
        start: () => steps.start(),
        isFinal: (stage) => steps.isFinal(stage),
        next: (stage, event, customerId) => {
          if ((event.data as { url?: unknown } | undefined)?.url === 'poison')
            throw new RangeError('Maximum call stack size exceeded');
          return steps.next(stage, event, customerId);
        },
      },
    };
  };
  const versions = new Map([...catalog.versions].map(([key, entry]) => [key, wrap(entry)]));
  const byId = new Map(
    [...catalog.byId].map(([id, byVersion]) => [
      id,
      new Map([...byVersion.keys()].map((version) => [version, versions.get(`${id}@${version}`)!])),
    ]),
  );
  return {
    latest: catalog.latest.map((e) => versions.get(`${e.journey.id}@${e.journey.version}`)!),
    versions,
    byId,
  };
}

const eventOf = eventMaker('sub', 'test/sub-batch');

const form = (customer: string, extra: Record<string, unknown> = {}) =>
  eventOf('form.submitted', customer, {
    formId: 'whitepaper-2026',
    email: `${customer}@example.com`,
    ...extra,
  });

/** The events at offsets from `first` on partition 0, as the batch handler passes them. */
const positioned = (events: TactfulEvent[], first = 0) =>
  events.map((event, i) => ({ event, position: { partition: 0, offset: String(first + i) } }));

const outcomeNames = (outcomes: BatchOutcome[]) => outcomes.map((o) => (isItemFailure(o) ? 'failed' : o));

const templatesOf = (messages: { topic: string; value: string }[], customer: string, commands: string) =>
  messages
    .filter((m) => m.topic === commands)
    .map((m) => JSON.parse(m.value) as EmailSendCommand)
    .filter((c) => c.customerId === customer)
    .map((c) => c.template);

describe('applySubBatch: an event that fails for a reason of its own', () => {
  test('a step that throws: the event is dead-lettered alone, before anything after it of its customer is committed; the other customers commit', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const ctx = await contextFor(namespace, store, poisoned);
    const [annForm, bobForm, annPoison, annOptOut] = [
      form('ann'),
      form('bob'),
      eventOf('page.viewed', 'ann', { url: 'poison' }),
      eventOf('contact.opted_out', 'ann', { channel: 'all' }),
    ];
    const events = positioned([annForm!, bobForm!, annPoison!, annOptOut!]);
    const dead: { index: number; error: unknown; annApplied: boolean[] }[] = [];
    const deps = {
      store,
      logger,
      context: () => ctx,
      deadLetter: async (index: number, error: unknown) => {
        // what Redis holds of ann when the failed event goes to the DLQ
        const annApplied = await Promise.all(
          [0, 2, 3].map((i) => store.isProcessed('ann', events[i]!.event.id, events[i]!.position)),
        );
        dead.push({ index, error, annApplied });
      },
    };
    const result = await applySubBatch(deps, events, 'p0');

    expect(outcomeNames(result.outcomes)).toEqual(['applied', 'applied', 'failed', 'applied']);
    expect(dead.map((d) => d.index)).toEqual([2]);
    expect(dead[0]?.error).toBeInstanceOf(RangeError);
    // ann's form committed, neither the failed event nor the opt-out behind it was yet
    expect(dead[0]?.annApplied).toEqual([true, false, false]);
    const commands = topicsFor(namespace).commands;
    expect(templatesOf(result.messages, 'ann', commands)).toEqual(['wp-welcome']);
    expect(templatesOf(result.messages, 'bob', commands)).toEqual(['wp-welcome']);
    // the opt-out behind the failed event was applied, in order, after it
    const ann = await store.load('ann');
    expect((ann.state as { contact: { optedOut: string[] } }).contact.optedOut).toEqual(['all']);
    expect(await store.isProcessed('ann', annOptOut!.id, events[3]!.position)).toBe(true);

    // delivered again (a crash before the offset commit): every event is found handled, nothing dead-lettered twice
    const again = await applySubBatch(deps, events, 'p0');
    expect(outcomeNames(again.outcomes)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(dead).toHaveLength(1);
    expect(again.messages).toEqual([]);
  });

  test('a commit that cannot be stored: the other customers of its group commit, and its events are applied one by one to find the failing one', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const ctx = await contextFor(namespace, store, poisoned);
    // a value no parser lets through (events are read at most 64 deep), handed in directly: the state
    // then holds it, and the record cannot be encoded
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [catForm, catDeep, catView, danForm] = [
      form('cat'),
      form('cat', { fields: { deep } }),
      eventOf('page.viewed', 'cat', { url: 'https://example.com/' }),
      form('dan'),
    ];
    const events = positioned([catForm!, catDeep!, catView!, danForm!], 10);
    const dead: { index: number; catApplied: boolean[] }[] = [];
    const result = await applySubBatch(
      {
        store,
        logger,
        context: () => ctx,
        deadLetter: async (index) => {
          const catApplied = await Promise.all(
            [0, 1, 2].map((i) => store.isProcessed('cat', events[i]!.event.id, events[i]!.position)),
          );
          dead.push({ index, catApplied });
        },
      },
      events,
      'p0',
    );

    expect(outcomeNames(result.outcomes)).toEqual(['applied', 'failed', 'applied', 'applied']);
    expect(dead).toEqual([{ index: 1, catApplied: [true, false, false] }]);
    expect(result.outcomes[1]).toMatchObject({ failed: { code: 'internal' } });
    const commands = topicsFor(namespace).commands;
    expect(templatesOf(result.messages, 'cat', commands)).toEqual(['wp-welcome']);
    expect(templatesOf(result.messages, 'dan', commands)).toEqual(['wp-welcome']);
    expect(await store.isProcessed('cat', catView!.id, events[2]!.position)).toBe(true);
    expect((await store.load('dan')).version).toBe(1);
  });
});
