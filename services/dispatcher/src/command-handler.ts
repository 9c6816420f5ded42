import { stateOfStored } from '@tactful/engine';
import { TactfulError, type EmailSendCommand } from '@tactful/events';
import type { MessageMeta } from '@tactful/kafka';
import type { Logger } from '@tactful/observability';
import type { Policy } from '@tactful/policy';
import type { Store } from '@tactful/store-redis';
import type { Delivery, DispatchOutcome } from './delivery';
import type { DeliveryStore } from './delivery-store';
import type { HaltSignals } from './halt-signals';
import { lastMileCheck } from './last-mile';
import { buildEmail } from './email';
import type { MailSettings } from './message';
import { waitWithHeartbeats } from './retry';
import type { MessageTemplate, TemplateEngines } from './templates';

/** What the dispatcher knows of a journey from its file. */
export interface JourneyInfo {
  readonly name: string;
  /** `audience.exclude: [customers]`: never sent to an existing customer. */
  readonly prospecting: boolean;
}

export interface CommandHandlerDeps {
  readonly store: Pick<Store, 'load' | 'liveHalts'>;
  readonly deliveries: Pick<DeliveryStore, 'peek' | 'deliveredSince'>;
  readonly delivery: Delivery;
  /** Holds a send while the halt sentinel is behind or absent. */
  readonly haltSignals: Pick<HaltSignals, 'hold'>;
  readonly templates: ReadonlyMap<string, MessageTemplate>;
  readonly engines: TemplateEngines;
  /** The journey of a command (its version, else any version of its id); undefined for one we do not know. */
  readonly journeys: (journey: string, version: number) => JourneyInfo | undefined;
  readonly policy: Policy;
  readonly settings: MailSettings;
  readonly owner: string;
  readonly logger: Logger;
  readonly now: () => Date;
  /** True once the dispatcher is closing: waits end early. */
  readonly stopping: () => boolean;
}

const HOUR_MS = 3_600_000;

/**
 * One command of `N.commands`: already handled? (a delivered one is reported again, nothing is sent),
 * held until the halt signals are current (the sentinel runs and keeps up), the last-mile checks on the
 * customer as they are now, the message rendered, then the delivery protocol. Resolves with what became
 * of it; throws a retriable error to be given it again later.
 */
export function createCommandHandler(deps: CommandHandlerDeps) {
  const logger = deps.logger.child({ component: 'command-handler' });

  async function handle(command: EmailSendCommand, meta: MessageMeta): Promise<DispatchOutcome> {
    const { customerId, id } = command;
    const now = deps.now();
    const existing = await deps.deliveries.peek(customerId, id);
    if (existing?.state === 'delivered') return deps.delivery.reportAgain(command);
    if (existing !== null && existing.state !== 'sending') return 'duplicate';
    if (
      existing?.state === 'sending' &&
      existing.owner !== deps.owner &&
      existing.leaseUntil > now.getTime()
    ) {
      // another dispatcher holds it (a rebalance), or a dead one did (a restart): its lease decides
      await waitWithHeartbeats(existing.leaseUntil - now.getTime() + 1, meta.heartbeat, deps.stopping);
      if (deps.stopping())
        throw TactfulError.retriable('store.conflict', `command ${id} is held by another dispatcher`);
      return handle(command, meta);
    }

    // the marks read below are only as recent as the sentinel: never check against marks it has not written
    if (!(await deps.haltSignals.hold(command, meta.heartbeat, deps.stopping)))
      throw TactfulError.retriable(
        'kafka.unavailable',
        `command ${id} was held for the halt signals when the dispatcher closed; it is read again`,
      );
    const journey = deps.journeys(command.journey, command.journeyVersion);
    const check = async () => {
      let loaded = await deps.store.load(customerId);
      // the marks of the load whose events the orchestrator has still not applied (one round trip); the
      // others are in the state
      const live = new Set((await deps.store.liveHalts(customerId)).map((mark) => mark.eventId));
      const halts = loaded.halts.filter((mark) => live.has(mark.eventId));
      // a mark found applied may have been applied after the load: read the state again, which then
      // holds that event, so its halt or opt-out is judged from the state rather than lost between the two
      if (halts.length < loaded.halts.length) loaded = await deps.store.load(customerId);
      const state = loaded.state === null ? null : stateOfStored(loaded);
      const at = deps.now();
      const suppression = lastMileCheck({
        command,
        state,
        halts,
        policy: deps.policy,
        prospecting: journey?.prospecting ?? false,
        deliveredLastHour: await deps.deliveries.deliveredSince(customerId, at.getTime() - HOUR_MS),
        now: at,
      });
      return { state, suppression };
    };
    const { state, suppression } = await check();
    if (suppression !== null) return deps.delivery.suppress(command, suppression.code, suppression.reason);

    const to = command.to ?? state?.profile.email;
    if (to === undefined)
      return deps.delivery.fail(
        command,
        meta,
        'failed',
        'no_address',
        'neither the command nor the customer profile has an email address',
      );
    const template = deps.templates.get(command.template);
    if (template === undefined)
      return deps.delivery.fail(
        command,
        meta,
        'failed',
        'unknown_template',
        `template ${command.template} is not in the templates folder this dispatcher started with`,
      );
    let message: Buffer;
    try {
      const email = await buildEmail({
        command,
        to,
        template,
        engines: deps.engines,
        profile: state?.profile ?? null,
        settings: deps.settings,
        date: now,
        ...(journey === undefined ? {} : { journeyName: journey.name }),
      });
      message = email.raw;
    } catch (err) {
      // the template passed its checks at start, so this is data it cannot take: sending again fails again
      const why = (err as Error).message.split('\n')[0] ?? 'unknown error';
      logger.warn({ customerId, commandId: id, template: command.template, err }, 'render failed');
      return deps.delivery.fail(
        command,
        meta,
        'failed',
        'render_failed',
        `template ${command.template} could not be rendered: ${why}`,
      );
    }
    return deps.delivery.deliver(command, meta, to, message, async () => (await check()).suppression);
  }

  return handle;
}
