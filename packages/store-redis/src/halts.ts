import type { HaltMark } from './types';

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

/**
 * Pure. Whether a send of `journey` (on `topic`) is halted for the customer: some mark is an opt-out,
 * halts all, names the journey, or names the topic (compared trimmed and case-blind).
 */
export function haltsJourney(halts: HaltMark[], journey: string, topic?: string): boolean {
  const key = topic?.trim().toLowerCase();
  return halts.some(
    (mark) =>
      mark.optOut === true ||
      mark.journeys === undefined ||
      mark.journeys.includes(journey) ||
      (key !== undefined && (mark.topics ?? []).some((left) => left.trim().toLowerCase() === key)),
  );
}

/** Pure. The mark as stored: only the fields of `HaltMark`, so marks compare and print the same. */
export function normaliseHalt(mark: HaltMark): HaltMark {
  return {
    eventId: mark.eventId,
    type: mark.type,
    at: mark.at,
    ...(mark.journeys === undefined ? {} : { journeys: [...mark.journeys] }),
    ...(mark.optOut === undefined ? {} : { optOut: mark.optOut }),
    ...(mark.topics === undefined ? {} : { topics: [...mark.topics] }),
    ...(mark.position === undefined
      ? {}
      : { position: { partition: mark.position.partition, offset: mark.position.offset } }),
  };
}
