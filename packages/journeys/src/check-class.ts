import type { Journey } from './journey';
import type { Problem } from './problem';
import { statesOf } from './state-tree';

/**
 * Pure. What a journey's `class` rules out: a transactional journey answers what the person asked, so
 * neither it nor one of its sends has a subscription topic (a topic is something a person can leave; an
 * answer to their own question is not).
 */
export function checkClass(file: string, journey: Journey): Problem[] {
  if (journey.class !== 'transactional') return [];
  const problems: Problem[] = [];
  const why = 'a transactional journey answers what the person asked and has no subscription topic';
  if (journey.topic !== undefined) problems.push({ file, reason: `topic: ${why}` });
  for (const { path, state } of statesOf(journey.machine)) {
    for (const [field, actions] of [
      ['entry', state.entry ?? []],
      ['exit', state.exit ?? []],
    ] as const) {
      actions.forEach((action, index) => {
        if (action.params.topic !== undefined)
          problems.push({
            file,
            statePath: path.join('.'),
            reason: `${field}[${index}].params.topic: ${why}`,
          });
      });
    }
  }
  return problems;
}
