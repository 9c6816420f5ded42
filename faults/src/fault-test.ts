import { inject, test as base } from 'vitest';
import { ownServersAt, type OwnServers } from '../../packages/testing/src/own-servers';

/** How big the scenarios are: `quick` in `npm test`, `full` in `npm run test:faults`. */
export type Scale = 'quick' | 'full';

function scaleOf(value: string | undefined): Scale {
  if (value === undefined || value === '' || value === 'quick') return 'quick';
  if (value === 'full') return 'full';
  throw new Error(`TACTFUL_FAULT_SCALE must be quick or full, not ${JSON.stringify(value)}`);
}

export const SCALE: Scale = scaleOf(process.env.TACTFUL_FAULT_SCALE);

/** The value for this run's scale. */
export function sized<T>(sizes: Record<Scale, T>): T {
  return sizes[SCALE];
}

async function up(servers: OwnServers): Promise<void> {
  // a scenario that failed half-way may have left a server down: every scenario starts on both
  if (!(await servers.kafka.answers())) await servers.kafka.start();
  if (!(await servers.redis.answers())) await servers.redis.start();
}

/** A test with the run's own Kafka and Redis (`own-servers-setup.ts`), which it may kill and restart. */
export const test = base.extend<{ servers: OwnServers }>({
  // eslint-disable-next-line no-empty-pattern
  servers: async ({}, use) => {
    const servers = ownServersAt(inject('ownServers'));
    await up(servers);
    await use(servers);
    await up(servers);
  },
});
