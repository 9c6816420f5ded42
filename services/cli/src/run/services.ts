import { STARTERS } from './starters';

/** The services `tactful run` can start in one process (CONTRACT.md section 7). */
export const SERVICE_NAMES = [
  'orchestrator',
  'scheduler',
  'dispatcher',
  'sentinel',
  'gateway',
  'console',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The services this build provides (those with a starter); the others are refused by name. */
export const AVAILABLE_SERVICES: readonly ServiceName[] = SERVICE_NAMES.filter(
  (name) => STARTERS[name] !== undefined,
);

/** Pure. Parses `--only a,b`; every unknown or unavailable name is reported at once. */
export function parseOnly(value: string | undefined): { services: ServiceName[]; problems: string[] } {
  if (value === undefined) return { services: [...AVAILABLE_SERVICES], problems: [] };
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const problems: string[] = [];
  const services: ServiceName[] = [];
  for (const name of names) {
    if (!(SERVICE_NAMES as readonly string[]).includes(name))
      problems.push(`unknown service "${name}" (known: ${SERVICE_NAMES.join(', ')})`);
    else if (!AVAILABLE_SERVICES.includes(name as ServiceName))
      problems.push(
        `service "${name}" is not part of this build yet (available: ${AVAILABLE_SERVICES.join(', ')})`,
      );
    else if (!services.includes(name as ServiceName)) services.push(name as ServiceName);
  }
  if (names.length === 0) problems.push('--only needs at least one service name');
  return { services, problems };
}
