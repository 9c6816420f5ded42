import type { ServiceStarter } from '../runtime';
import type { ServiceName } from '../services';
import { opsConsole } from './console';
import { dispatcher } from './dispatcher';
import { gateway } from './gateway';
import { orchestrator } from './orchestrator';
import { scheduler } from './scheduler';
import { sentinel } from './sentinel';

/** The services of this build, in start order (close runs in reverse). One line per service. */
export const STARTERS: Partial<Record<ServiceName, ServiceStarter>> = {
  orchestrator,
  scheduler,
  dispatcher,
  gateway,
  sentinel,
  console: opsConsole,
};
