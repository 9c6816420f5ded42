import { consoleStarter } from '@tactful/console';
import { dispatcherStarter } from '@tactful/dispatcher';
import { gatewayStarter } from '@tactful/gateway';
import { orchestratorStarter } from '@tactful/orchestrator';
import { serviceEntry, type ServiceEntry } from '@tactful/runtime';
import { schedulerStarter } from '@tactful/scheduler';
import { sentinelStarter } from '@tactful/sentinel';
import type { RunOverrides } from './run-overrides';
import type { ServiceName } from './services';

/**
 * The services of this build, each its own package's starter with the options `tactful run` (or a test,
 * through `RunOverrides`) gives it. One line per service.
 */
export const STARTERS: Partial<Record<ServiceName, (overrides: RunOverrides) => ServiceEntry>> = {
  orchestrator: (o) =>
    serviceEntry(orchestratorStarter, {
      ...(o.subBatchSize ? { subBatchSize: o.subBatchSize } : {}),
      ...(o.orchestratorAt ? { at: o.orchestratorAt } : {}),
    }),
  scheduler: (o) =>
    serviceEntry(schedulerStarter, o.schedulerPollMs ? { pollIntervalMs: o.schedulerPollMs } : {}),
  dispatcher: (o) =>
    serviceEntry(dispatcherStarter, o.haltSignalSampleMs ? { haltSignalSampleMs: o.haltSignalSampleMs } : {}),
  gateway: () => serviceEntry(gatewayStarter, {}),
  sentinel: () => serviceEntry(sentinelStarter, {}),
  console: (o) =>
    serviceEntry(
      consoleStarter,
      o.consoleSampleIntervalMs ? { sampleIntervalMs: o.consoleSampleIntervalMs } : {},
    ),
};
