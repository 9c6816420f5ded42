import { describe, expect, it } from 'vitest';
import { EXAMPLE_EVENTS, prepareBatch, type TactfulEvent } from '@tactful/events';
import { InvalidEventsError } from '@tactful/events/publisher';
import { publishRecords, type PublishCounts } from './publish-records';
import type { InputRecord } from './read-events';

const form = EXAMPLE_EVENTS['form.submitted'];

async function* records(list: InputRecord[]): AsyncGenerator<InputRecord> {
  yield* list;
}

// The publisher's contract without a broker: validate the whole batch, refuse it listing the invalid ones.
function validatingPublish(calls: string[][]) {
  return async (events: readonly TactfulEvent[]) => {
    const { prepared, rejected } = prepareBatch(events);
    if (rejected.length > 0) throw new InvalidEventsError(rejected, events.length);
    calls.push(prepared.map((p) => p.event.id));
    return { ids: prepared.map((p) => p.event.id) };
  };
}

describe('publishRecords', () => {
  it('sends in batches, in order, without the invalid events, and reports each by line', async () => {
    const input: InputRecord[] = Array.from({ length: 7 }, (_, i) => ({
      index: i,
      line: i + 1,
      value: i === 3 ? { ...form, id: 'bad', data: {} } : { ...form, id: `evt-${i}` },
      bytesRead: (i + 1) * 100,
    }));
    input.splice(5, 0, {
      index: 5,
      line: 6,
      rejection: { reason: 'invalid_json', message: 'not valid JSON' },
      bytesRead: 600,
    });
    const calls: string[][] = [];
    const progress: PublishCounts[] = [];
    const outcome = await publishRecords(records(input), {
      batchSize: 3,
      publish: validatingPublish(calls),
      onProgress: (c) => progress.push(c),
    });
    expect(calls).toEqual([['evt-0', 'evt-1', 'evt-2'], ['evt-4', 'evt-5'], ['evt-6']]);
    expect(outcome.counts).toEqual({ read: 8, sent: 6, rejected: 2, bytesRead: 700 });
    expect(outcome.rejected).toEqual([
      {
        index: 3,
        line: 4,
        id: 'bad',
        reason: 'schema_violation',
        message: expect.any(String),
        path: 'data.formId',
      },
      { index: 5, line: 6, reason: 'invalid_json', message: 'not valid JSON' },
    ]);
    expect(progress.at(-1)).toEqual(outcome.counts);
  });

  it('stops at a failed send, saying how many events were acknowledged before it', async () => {
    const input: InputRecord[] = Array.from({ length: 5 }, (_, i) => ({
      index: i,
      value: { ...form, id: `evt-${i}` },
      bytesRead: 0,
    }));
    let call = 0;
    const failure = await publishRecords(records(input), {
      batchSize: 2,
      publish: async (events) => {
        call += 1;
        if (call === 2) throw new Error('broker away');
        return { ids: events.map((e) => e.id) };
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ message: 'broker away', sentBefore: 2 });
  });
});
