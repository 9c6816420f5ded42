import type { Journey } from './journey';
import { statesOf } from './state-tree';

/**
 * Pure. The templates a journey can send, each once, in file order. Whether they exist in the templates
 * folder is for the dispatcher (or a CLI that knows both folders) to check.
 */
export function templatesOf(journey: Journey): string[] {
  const templates = statesOf(journey.machine).flatMap(({ state }) =>
    [...(state.entry ?? []), ...(state.exit ?? [])].map((action) => action.params.template),
  );
  return [...new Set(templates)];
}
