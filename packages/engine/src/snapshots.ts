import type { JourneyMachine, JourneySnapshot } from '@tactful/journeys';

type PersistedInput = Parameters<JourneyMachine['resolveState']>[0];

/** Pure. A stored snapshot made steppable again (no actor is started). */
export function restoreSnapshot(machine: JourneyMachine, stored: Record<string, unknown>): JourneySnapshot {
  return machine.resolveState(stored as PersistedInput);
}

/** Pure. The snapshot as it is stored: plain JSON, equal to its own JSON round trip. */
export function persistSnapshot(machine: JourneyMachine, snapshot: JourneySnapshot): Record<string, unknown> {
  return JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as Record<string, unknown>;
}

/** Pure. Whether a stored snapshot is in a final state. */
export function isDone(stored: Record<string, unknown>): boolean {
  return stored['status'] === 'done';
}

/** Pure. The dotted paths of the states a stored snapshot is in (`['checkIn']`, `['onboarding.tips']`). */
export function stagesOf(stored: Record<string, unknown>): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value === 'string') {
      paths.push(prefix === '' ? value : `${prefix}.${value}`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, child] of Object.entries(value))
        walk(child, prefix === '' ? name : `${prefix}.${name}`);
    }
  };
  walk(stored['value'], '');
  return paths;
}
