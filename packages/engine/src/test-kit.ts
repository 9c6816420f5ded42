// Test support for this package (not exported from index.ts): journeys written inline as YAML, relaxed
// policies, event builders, and a small timeline that plays the orchestrator's part: it keeps the state,
// stores and deletes timers as the effects say, and fires them when the clock passes their due time.
import type { AuditRecord, EmailSendCommand, EventType, HaltMark, TactfulEvent } from '@tactful/events';
import { TactfulEvent as TactfulEventSchema } from '@tactful/events';
import { parseJourney } from '@tactful/journeys';
import type { Policy } from '@tactful/policy';
import { DEFAULT_POLICY, parsePolicyOrThrow } from '@tactful/policy';
import type { CatalogInput, JourneyCatalog } from './catalog';
import { buildCatalog } from './catalog';
import type { CustomerState } from './customer-state';
import { emptyCustomerState } from './customer-state';
import { Effect } from './effect';
import type { Timer } from './effect';
import type { StepResult } from './step';
import { step } from './step';
import type { StepContext } from './step-run';
import { timerFiredEvent } from './timer-fired';

export const CUSTOMER = 'cust-42';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A Monday at noon UTC: outside quiet hours of the default policy. */
export const T0 = new Date('2026-11-23T12:00:00.000Z');

/** Pure. A journey from YAML text, or an error listing why the loader refused it. */
export function journey(yaml: string): CatalogInput {
  const { journey: parsed, machine, problems } = parseJourney(yaml, 'inline.yaml');
  if (parsed === undefined || machine === undefined) throw new Error(JSON.stringify(problems, null, 2));
  return { journey: parsed, machine };
}

/** Pure. The catalog of journeys written as YAML. */
export function catalogOf(...yamls: string[]): JourneyCatalog {
  return buildCatalog(yamls.map(journey));
}

/** Caps out of the way, no quiet hours: for tests that are not about the policy. */
export const RELAXED_POLICY: Policy = parsePolicyOrThrow(
  `
frequency: { maxPerDay: 100, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00" }
blastGuard: { maxPerHour: 100 }
`,
  'relaxed.yaml',
);

export { DEFAULT_POLICY };

/** Pure. A valid event (checked against its schema) of this customer. */
export function makeEvent(
  type: EventType,
  data: Record<string, unknown>,
  options: { id: string; time: Date; subject?: string },
): TactfulEvent {
  return TactfulEventSchema.parse({
    specversion: '1.0',
    id: options.id,
    source: 'test/engine',
    type,
    subject: options.subject ?? CUSTOMER,
    time: options.time.toISOString(),
    data,
  });
}

/** The sends, audits and timers of some effects, narrowed. */
export const sendsOf = (effects: readonly Effect[]): EmailSendCommand[] =>
  effects.flatMap((e) => (e.type === 'send' ? [e.command] : []));
export const auditsOf = (effects: readonly Effect[]): AuditRecord[] =>
  effects.flatMap((e) => (e.type === 'audit' ? [e.record] : []));
export const schedulesOf = (effects: readonly Effect[]): Timer[] =>
  effects.flatMap((e) => (e.type === 'schedule' ? [e.timer] : []));
export const cancelsOf = (effects: readonly Effect[]): string[] =>
  effects.flatMap((e) => (e.type === 'cancel' ? [e.timerId] : []));
export const templatesOfSends = (effects: readonly Effect[]): string[] =>
  sendsOf(effects).map((c) => c.template);

/** One customer's life: events in order, the clock, and the timers the effects asked for. */
export class Timeline {
  state: CustomerState;
  now: Date;
  ctx: StepContext;
  /** Timers stored and not yet fired or cancelled, by id. */
  readonly timers = new Map<string, Timer>();
  /** Every effect of every step, in order. */
  readonly effects: Effect[] = [];
  private count = 0;

  constructor(
    catalog: JourneyCatalog,
    policy: Policy = RELAXED_POLICY,
    options: { now?: Date; customerId?: string } = {},
  ) {
    this.state = emptyCustomerState(options.customerId ?? CUSTOMER);
    this.now = options.now ?? T0;
    this.ctx = { catalog, policy, pendingTimer: (id) => this.timers.get(id) };
  }

  /** Applies one event now and carries out its timer effects; every effect must match its schema. */
  apply(type: EventType, data: Record<string, unknown> = {}, id?: string): StepResult {
    this.count += 1;
    const subject = this.state.customerId;
    return this.applyEvent(makeEvent(type, data, { id: id ?? `evt-${this.count}`, time: this.now, subject }));
  }

  applyEvent(event: TactfulEvent): StepResult {
    const result = step(this.state, event, this.now, this.ctx);
    for (const effect of result.effects) {
      Effect.parse(effect);
      if (effect.type === 'schedule') this.timers.set(effect.timer.id, effect.timer);
      if (effect.type === 'cancel') this.timers.delete(effect.timerId);
    }
    this.effects.push(...result.effects);
    this.state = result.state;
    return result;
  }

  /** Moves the clock forward and fires, in due order, every timer that came due meanwhile. */
  advance(ms: number): Effect[] {
    const until = this.now.getTime() + ms;
    const fired: Effect[] = [];
    for (;;) {
      const due = [...this.timers.values()]
        .filter((timer) => timer.dueAt <= until)
        .sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1))[0];
      if (due === undefined) break;
      this.now = new Date(Math.max(this.now.getTime(), due.dueAt));
      fired.push(...this.fire(due).effects);
    }
    this.now = new Date(until);
    return fired;
  }

  /** Fires one timer now, as the timer service would (whether or not the engine still expects it). */
  fire(timer: Timer): StepResult {
    this.timers.delete(timer.id);
    return this.applyEvent(timerFiredEvent(timer, this.now));
  }

  withHalts(halts: HaltMark[]): this {
    this.ctx = { ...this.ctx, halts };
    return this;
  }
}

/** The contract's example journey, with the fields a test varies. */
export function whitepaper(
  options: {
    version?: number;
    reentry?: string;
    haltOn?: string[];
    products?: string[];
    exclude?: string[];
    welcome?: string;
  } = {},
): string {
  return `
id: whitepaper-nurture
version: ${options.version ?? 3}
name: White paper follow-up
trigger:
  event: form.submitted
  where: { formId: whitepaper-2026 }
reentry: ${options.reentry ?? 'never'}
haltOn: ${JSON.stringify(options.haltOn ?? ['email.replied'])}
${options.products === undefined ? '' : `products: ${JSON.stringify(options.products)}`}
${options.exclude === undefined ? '' : `audience: { exclude: ${JSON.stringify(options.exclude)} }`}
machine:
  initial: welcome
  states:
    welcome:
      entry: { type: send, params: { template: ${options.welcome ?? 'wp-welcome'} } }
      on:
        email.opened: engaged
      after: { P3D: checkIn }
    engaged:
      entry: { type: send, params: { template: wp-case-study } }
      after: { P5D: done }
    checkIn:
      entry: { type: send, params: { template: wp-checkin } }
      after: { P5D: done }
    done: { type: final }
`;
}

/** The data of a form that enters `whitepaper`. */
export const WHITEPAPER_FORM = {
  formId: 'whitepaper-2026',
  email: 'ann@example.com',
  name: 'Ann',
  fields: { topic: 'pricing' },
};
