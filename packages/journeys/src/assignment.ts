import { hash } from 'node:crypto';

// Who takes which branch of a split, and who is held out of a journey: decided by a hash of the journey
// id and the customer id, never by a random draw, so the same person lands on the same side on every
// redelivery, restart, replay and simulation, on every instance, with nothing stored to agree on. The
// journey's version is left out on purpose: a new version keeps everyone on the side they were on.

// Each use hashes under its own tag, so a holdout and a split of the same journey are independent draws:
// a 10 % holdout is not the first 10 % of a 50 % split.
const SPLIT_TAG = 'tactful.split.v1';
const HOLDOUT_TAG = 'tactful.holdout.v1';

/** 52 bits of SHA-256: every double in [0, 1) that this can produce is exact. */
const BITS = 52;
const SCALE = 2 ** BITS;

/**
 * Pure. A uniform number in [0, 1) drawn from SHA-256 of `parts`. The parts are hashed as a JSON array,
 * so no two different lists encode to the same bytes (`("a:b", "c")` and `("a", "b:c")` stay apart).
 */
export function assignmentPoint(parts: readonly string[]): number {
  const digest = hash('sha256', JSON.stringify(parts), 'hex');
  return Number.parseInt(digest.slice(0, BITS / 4), 16) / SCALE;
}

/**
 * Pure. Whether a `split` guard with `percent` (0 to 100) and `salt` holds for a customer of a journey:
 * true for `percent` % of customers. With the same salt, the customers of a smaller percent are among
 * those of a larger one (the point is the same; only the threshold moves), so consecutive splits with
 * cumulative percents (34, 67) cut the customers in three; a different salt draws afresh.
 */
export function inSplit(
  params: { readonly percent: number; readonly salt?: string | undefined },
  journeyId: string,
  customerId: string,
): boolean {
  return assignmentPoint([SPLIT_TAG, journeyId, customerId, params.salt ?? '']) * 100 < params.percent;
}

/**
 * Pure. Whether a customer is in a journey's holdout of `percent` (0 to 100): entered and tracked, sent
 * nothing. Independent of every split of the journey, whatever its salt.
 */
export function inHoldout(percent: number, journeyId: string, customerId: string): boolean {
  return assignmentPoint([HOLDOUT_TAG, journeyId, customerId]) * 100 < percent;
}
