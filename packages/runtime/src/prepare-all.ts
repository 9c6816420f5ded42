import { TactfulError } from '@tactful/events';
import type { ServiceConfig } from './service-config';
import type { PreparedService, ServiceEntry } from './starter';

const isRefusal = (err: unknown): err is TactfulError =>
  err instanceof TactfulError && (err.code === 'config.invalid' || err.code === 'journey.invalid');

/**
 * Runs every service's `prepare` and resolves when all succeeded. When more than one refuses the start,
 * their messages are joined into one `config.invalid`, so every problem of every service is listed at
 * once (two services may both need one variable); one refusal is thrown as it is.
 */
export async function prepareAll(
  entries: readonly ServiceEntry[],
  config: ServiceConfig,
): Promise<PreparedService[]> {
  const settled = await Promise.allSettled(entries.map((entry) => entry.prepare(config)));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  // a failure that is not a refusal (a bug, an unreadable disk) is reported as itself
  const other = failures.find((err) => !isRefusal(err));
  if (other !== undefined || failures.length === 1) throw other ?? failures[0];
  if (failures.length > 1)
    throw new TactfulError(
      'config.invalid',
      failures.map((err) => (err as TactfulError).message).join('\n'),
      { cause: failures[0] },
    );
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}
