import type { EmailSendCommand } from '@tactful/events';
import { consumerGroupsFor, topicsFor } from '@tactful/events';
import {
  createLagMonitor,
  createReadBarrier,
  groupCurrency,
  type GroupCurrency,
  type Kafka,
  type LagMonitor,
  type ReadBarrier,
} from '@tactful/kafka';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import { waitWithHeartbeats } from './retry';

export interface HaltSignalsDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  /** `TACTFUL_HALT_SIGNAL_MAX_LAG_MS`: how far behind in time the sentinel's group may be. */
  readonly maxLagMs: number;
  /** Between two lag samples of the sentinel's group. */
  readonly sampleIntervalMs: number;
  readonly metrics: Pick<TactfulMetrics, 'heldCommands' | 'commandHolds'>;
  readonly logger: Logger;
  /** Wall-clock epoch ms, compared with Kafka's timestamps; default `Date.now`. */
  readonly now?: () => number;
}

export interface HaltSignalStatus extends GroupCurrency {
  /** Commands held right now. */
  readonly held: number;
}

export interface HaltSignals {
  /** The latest judgement (not current when the last sample is too old or failed), for readiness. */
  status(): HaltSignalStatus;
  /**
   * Holds one send, heartbeating the group, until the halt signals are current. Resolves true once they
   * are (at once when they already are), false when the dispatcher is closing first.
   */
  hold(command: EmailSendCommand, heartbeat: () => Promise<void>, stopping: () => boolean): Promise<boolean>;
  stop(): Promise<void>;
}

/** How old, at most, the sentinel's reading may be when a send's check reads the marks (ms). */
const FRESH_MS = 500;
const FRESH_ROUNDS = 5;

/**
 * The halt signals are the sentinel's marks: a reply is marked within milliseconds of being written, but
 * only while the sentinel runs and keeps up. A send checked against marks the sentinel has not written
 * yet would go out after a reply it cannot see, so the dispatcher sends only while the sentinel's group
 * (`N.sentinel`) has members and has read everything older than `maxLagMs`. This samples that group's
 * lag with admin calls only (the lag monitor of @tactful/kafka, every `sampleIntervalMs`), and holds
 * each send while the answer is no, never dropping it: the consumer does not move past a held command,
 * so its offset is not committed, and the group membership is kept with heartbeats.
 *
 * A group within the bound may still be a few batches behind, and a reply acknowledged just before the
 * send would then be missed by its check. So a send also waits, every time, until the sentinel has
 * committed `N.events` up to the ends it had after the send was taken up (a read barrier): every halt
 * acknowledged by Kafka before that moment is marked when the last-mile check reads the marks.
 */
export async function startHaltSignals(deps: HaltSignalsDeps): Promise<HaltSignals> {
  const logger = deps.logger.child({ component: 'halt-signals' });
  const now = deps.now ?? Date.now;
  const groupId = consumerGroupsFor(deps.namespace).sentinel;
  const admin = deps.kafka.admin();
  await admin.connect();
  const context: SignalContext = { groupId, now, logger };
  const currency = await startCurrencySampler(context, {
    monitor: createLagMonitor({ admin, groups: [groupId], window: 2, now }),
    maxLagMs: deps.maxLagMs,
    sampleIntervalMs: deps.sampleIntervalMs,
  });
  const barrier = freshBarrier(
    context,
    createReadBarrier({ admin, topic: topicsFor(deps.namespace).events, groupId }),
  );
  let held = 0;
  const status = (): HaltSignalStatus => ({ ...currency.status(), held });
  const passes = async (): Promise<boolean> => currency.status().current && (await barrier.passed());
  const holdReason = (): string => {
    const current = currency.status();
    return current.current ? (barrier.detail() ?? current.detail) : current.detail;
  };

  return {
    status,
    async hold(command, heartbeat, stopping) {
      if (await passes()) return true;
      held += 1;
      deps.metrics.heldCommands.inc();
      deps.metrics.commandHolds.inc();
      const about = { customerId: command.customerId, commandId: command.id };
      logger.warn({ ...about, why: holdReason() }, 'holding a send until the halt signals are current');
      try {
        for (;;) {
          if (stopping()) return false;
          await waitWithHeartbeats(deps.sampleIntervalMs, heartbeat, stopping);
          if (await passes()) break;
        }
        logger.info(about, 'halt signals current: the send goes on to its last-mile check');
        return true;
      } finally {
        held -= 1;
        deps.metrics.heldCommands.dec();
      }
    },
    async stop() {
      await currency.stop();
      await admin.disconnect();
    },
  };
}

/** What the sampler and the barrier share. */
interface SignalContext {
  /** The sentinel's consumer group. */
  readonly groupId: string;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * Samples the sentinel's group every `sampleIntervalMs` and judges whether it is current; a judgement
 * whose sample is too old says it is not.
 */
async function startCurrencySampler(
  { groupId, now, logger }: SignalContext,
  options: { monitor: LagMonitor; maxLagMs: number; sampleIntervalMs: number },
) {
  // a sample older than this says nothing about now: the sampler is stuck or Kafka does not answer
  const staleMs = 3 * options.sampleIntervalMs + 2000;
  let latest: GroupCurrency = { current: false, behindMs: null, detail: `${groupId}: not sampled yet` };
  let sampledAt = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const sample = async (): Promise<void> => {
    const before = latest;
    try {
      const report = await options.monitor.sample();
      latest = groupCurrency(
        report.groups.find((g) => g.groupId === groupId),
        groupId,
        options.maxLagMs,
      );
      sampledAt = report.at;
    } catch (err) {
      latest = {
        current: false,
        behindMs: null,
        detail: `cannot measure ${groupId}: ${(err as Error).message}`,
      };
      logger.warn({ err, groupId }, 'could not sample the halt sentinel’s lag');
    }
    if (before.current !== latest.current)
      logger[latest.current ? 'info' : 'warn'](
        { groupId, detail: latest.detail },
        latest.current ? 'halt signals current: sends go out' : 'halt signals behind: sends are held',
      );
  };
  const loop = (): void => {
    timer = setTimeout(() => {
      running = sample().finally(() => {
        if (!stopped) loop();
      });
    }, options.sampleIntervalMs);
  };
  await sample();
  loop();

  return {
    status(): GroupCurrency {
      const age = now() - sampledAt;
      if (latest.current && age > staleMs)
        return {
          current: false,
          behindMs: null,
          detail: `no lag sample of ${groupId} for ${Math.round(age / 1000)} s`,
        };
      return latest;
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The read barrier, passed only soon after it was asked: Kafka not answering counts as not passed, and
 * the send waits. `detail` says why the last attempt did not pass.
 */
function freshBarrier({ groupId, now, logger }: SignalContext, barrier: ReadBarrier) {
  let detail: string | undefined;
  return {
    detail: (): string | undefined => detail,
    async passed(): Promise<boolean> {
      try {
        // A round that took long (the sentinel catching up after an outage) proves only what was written
        // before it began: ask again until one passes soon after its own start, so the marks the check
        // reads are at most FRESH_MS older than the check.
        for (let round = 0; round < FRESH_ROUNDS; round += 1) {
          const began = now();
          if (!(await barrier.passed())) {
            detail = `${groupId} has not read N.events up to its latest messages yet`;
            return false;
          }
          if (now() - began <= FRESH_MS) {
            detail = undefined;
            return true;
          }
        }
        detail = `${groupId} reads N.events more than ${FRESH_MS} ms behind its end`;
        return false;
      } catch (err) {
        detail = `cannot read ${groupId}'s offsets: ${(err as Error).message}`;
        logger.warn({ err, groupId }, 'could not check how far the halt sentinel has read');
        return false;
      }
    },
  };
}
