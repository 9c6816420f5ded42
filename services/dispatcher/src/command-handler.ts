import { customerView, type CustomerView, type Suppression } from '@tactful/engine';
import { TactfulError, type EmailSendCommand } from '@tactful/events';
import type { MessageMeta } from '@tactful/kafka';
import type { Logger } from '@tactful/observability';
import type { Policy } from '@tactful/policy';
import type { Store } from '@tactful/store-redis';
import type { Delivery, DispatchOutcome } from './delivery';
import type { DeliveryStore } from './delivery-store';
import type { HaltSignals } from './halt-signals';
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

/** Whether a command may be worked on here: a settled one is done, one leased elsewhere waits its lease. */
type Handled = { readonly outcome: DispatchOutcome } | 'go' | 'again';

async function handledBefore(
  deps: CommandHandlerDeps,
  command: EmailSendCommand,
  meta: MessageMeta,
  now: Date,
): Promise<Handled> {
  const { customerId, id } = command;
  const existing = await deps.deliveries.peek(customerId, id);
  if (existing?.state === 'delivered') return { outcome: await deps.delivery.reportAgain(command) };
  if (existing !== null && existing.state !== 'sending') return { outcome: 'duplicate' };
  if (existing?.state === 'sending' && existing.owner !== deps.owner && existing.leaseUntil > now.getTime()) {
    // another dispatcher holds it (a rebalance), or a dead one did (a restart): its lease decides
    await waitWithHeartbeats(existing.leaseUntil - now.getTime() + 1, meta.heartbeat, deps.stopping);
    if (deps.stopping())
      throw TactfulError.retriable('store.conflict', `command ${id} is held by another dispatcher`);
    return 'again';
  }
  return 'go';
}

/**
 * The customer as they are now and the last-mile check of `command` on them: the record and its live
 * halt marks (`load`), then the marks still live (`liveHalts`, one round trip); a mark of the load
 * applied since makes it load the state again, which then holds that event, so its halt or opt-out is
 * judged from the state rather than lost between the two reads.
 */
async function checkNow(
  deps: CommandHandlerDeps,
  command: EmailSendCommand,
  journey: JourneyInfo | undefined,
): Promise<{ view: CustomerView; suppression: Suppression | null }> {
  const { customerId } = command;
  const loaded = await deps.store.load(customerId);
  let view = customerView(loaded);
  const { halts, appliedSince } = view.haltsStillLive(await deps.store.liveHalts(customerId));
  if (appliedSince) view = customerView({ ...(await deps.store.load(customerId)), halts });
  const at = deps.now();
  const suppression = view.mayDeliver(command, {
    policy: deps.policy,
    prospecting: journey?.prospecting ?? false,
    deliveredLastHour: await deps.deliveries.deliveredSince(customerId, at.getTime() - HOUR_MS),
    now: at,
  });
  return { view, suppression };
}

/** The rendered email of `command` for the customer of `view`, or what became of a command that has none. */
async function compose(
  deps: CommandHandlerDeps,
  logger: Logger,
  command: EmailSendCommand,
  meta: MessageMeta,
  parts: { view: CustomerView; journey: JourneyInfo | undefined; date: Date },
): Promise<{ to: string; message: Buffer } | { outcome: DispatchOutcome }> {
  const { view, journey } = parts;
  const profile = view.known ? view.state.profile : null;
  const to = command.to ?? profile?.email;
  const fail = async (code: string, reason: string) => ({
    outcome: await deps.delivery.fail(command, meta, 'failed', code, reason),
  });
  if (to === undefined)
    return fail('no_address', 'neither the command nor the customer profile has an email address');
  const template = deps.templates.get(command.template);
  if (template === undefined)
    return fail(
      'unknown_template',
      `template ${command.template} is not in the templates folder this dispatcher started with`,
    );
  try {
    const email = await buildEmail({
      command,
      to,
      template,
      engines: deps.engines,
      profile,
      settings: deps.settings,
      date: parts.date,
      ...(journey === undefined ? {} : { journeyName: journey.name }),
    });
    return { to, message: email.raw };
  } catch (err) {
    // the template passed its checks at start, so this is data it cannot take: sending again fails again
    const why = (err as Error).message.split('\n')[0] ?? 'unknown error';
    logger.warn(
      { customerId: command.customerId, commandId: command.id, template: command.template, err },
      'render failed',
    );
    return fail('render_failed', `template ${command.template} could not be rendered: ${why}`);
  }
}

/**
 * One command of `N.commands`: already handled? (a delivered one is reported again, nothing is sent),
 * held until the halt signals are current (the sentinel runs and keeps up), the last-mile checks on the
 * customer as they are now, the message rendered, then the delivery protocol. Resolves with what became
 * of it; throws a retriable error to be given it again later.
 */
export function createCommandHandler(deps: CommandHandlerDeps) {
  const logger = deps.logger.child({ component: 'command-handler' });

  async function handle(command: EmailSendCommand, meta: MessageMeta): Promise<DispatchOutcome> {
    const now = deps.now();
    const before = await handledBefore(deps, command, meta, now);
    if (before === 'again') return handle(command, meta);
    if (before !== 'go') return before.outcome;

    // the marks read below are only as recent as the sentinel: never check against marks it has not written
    if (!(await deps.haltSignals.hold(command, meta.heartbeat, deps.stopping)))
      throw TactfulError.retriable(
        'kafka.unavailable',
        `command ${command.id} was held for the halt signals when the dispatcher closed; it is read again`,
      );
    const journey = deps.journeys(command.journey, command.journeyVersion);
    const { view, suppression } = await checkNow(deps, command, journey);
    if (suppression !== null) return deps.delivery.suppress(command, suppression.code, suppression.reason);
    const composed = await compose(deps, logger, command, meta, { view, journey, date: now });
    if ('outcome' in composed) return composed.outcome;
    return deps.delivery.deliver(
      command,
      meta,
      composed.to,
      composed.message,
      async () => (await checkNow(deps, command, journey)).suppression,
    );
  }

  return handle;
}
