import { compare } from './catalog';
import type { CustomerState, JourneyHistory } from './customer-state';
import { sortedKeys } from './step-run';

/** A customer's state as people read it (`tactful explain`, the console). */
export interface CustomerSummary {
  customerId: string;
  status: CustomerState['contact']['status'];
  optedOut: string[];
  hardBounced: boolean;
  active: { journey: string; version: number; enteredAt: string; stages: string[]; pendingWaits: number }[];
  deferred: { journey: string; template: string; dueAt: string }[];
  templatesSent: string[];
  history: ({ journey: string } & JourneyHistory)[];
}

/** Pure. Which journeys the customer is in and at which stage, what waits, and what they were sent. */
export function summarise(state: CustomerState): CustomerSummary {
  const active = sortedKeys(state.active).flatMap((id) => {
    const instance = state.active[id];
    return instance === undefined
      ? []
      : [
          {
            journey: id,
            version: instance.version,
            enteredAt: instance.enteredAt,
            stages: [instance.stage],
            pendingWaits: Object.keys(instance.timers).length,
          },
        ];
  });
  const deferred = Object.values(state.deferred)
    .map(({ journey, template, dueAt }) => ({ journey, template, dueAt }))
    .sort((a, b) => compare(a.dueAt, b.dueAt));
  const history = sortedKeys(state.history).flatMap((id) => {
    const last = state.history[id];
    return last === undefined ? [] : [{ journey: id, ...last }];
  });
  return {
    customerId: state.customerId,
    status: state.contact.status,
    optedOut: [...state.contact.optedOut],
    hardBounced: state.contact.hardBounced,
    active,
    deferred,
    templatesSent: [...state.templatesSent],
    history,
  };
}
