import { HaltMark, TactfulError } from '@tactful/events';
import { appliedBefore, type AppliedLog } from './applied-log';
import { parseJson } from './json';

// The store boundary of halt marks: Redis holds each as the JSON of `HaltMark` (@tactful/events), the
// same shape the services hold in memory, so reading is parsing with that schema and nothing converts.

/** Pure. Halt marks in the order they happened (ties by event id), as `load` and `getHalts` return them. */
export function sortHalts(halts: HaltMark[]): HaltMark[] {
  return [...halts].sort(
    (a, b) => a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
}

/** Pure. Whether nothing at all may be sent to the customer any more. */
export function isOptedOut(halts: HaltMark[]): boolean {
  return halts.some((mark) => mark.optOut === true);
}

/** Pure. The marks of one customer as `HVALS` gave them; a mark that is not a `HaltMark` is damaged data. */
export function readHaltMarks(values: readonly string[], customerId: string): HaltMark[] {
  return values.map((value) => {
    const what = `a halt mark of ${customerId}`;
    const parsed = HaltMark.safeParse(parseJson<unknown>(value, what));
    if (!parsed.success)
      throw new TactfulError('internal', `${what} is damaged: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  });
}

/**
 * Pure. The one rule of which marks still count: a mark is stale once the record has applied its event
 * (at or before its position, or its id among the recent ones), because the event's halt is in the
 * state then; the sentinel marked it after the orchestrator, or the commit that applied it has not
 * deleted it yet. `live` oldest first.
 */
export function splitHalts(
  applied: AppliedLog,
  marks: readonly HaltMark[],
): { live: HaltMark[]; stale: HaltMark[] } {
  const live: HaltMark[] = [];
  const stale: HaltMark[] = [];
  for (const mark of marks)
    (appliedBefore(applied, mark.eventId, mark.position) === false ? live : stale).push(mark);
  return { live: sortHalts(live), stale };
}
