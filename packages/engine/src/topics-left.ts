import { CustomerState } from './customer-state';

/**
 * Pure. The topics a person has left, as far as the store knows: those of their state, and those of the
 * halt marks not yet applied (a topic left a moment ago, while the orchestrator is behind). An unsubscribe
 * adds its topic to these, because `topicsOptedOut` replaces the whole list.
 */
export function topicsLeftOf(
  state: unknown,
  marks: readonly { readonly topics?: readonly string[] }[],
): string[] {
  const known =
    state === null || state === undefined ? [] : CustomerState.parse(state).contact.topicsOptedOut;
  return [...new Set([...known, ...marks.flatMap((mark) => mark.topics ?? [])])].sort();
}
