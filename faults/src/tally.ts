// What a fault scenario counts at the SMTP server, from the plan (who gets what, who halts and how), the
// mail the server accepted and the moments the halts were acknowledged. Pure.

/** How a person halts the journey, as soon as their first mail arrives. */
export type HaltKind = 'reply-event' | 'reply-mail' | 'opt-out';

export interface PlannedCustomer {
  readonly id: string;
  /** Undefined: the person never reacts, and gets every stage. */
  readonly halt?: HaltKind;
}

export interface Plan {
  readonly customers: readonly PlannedCustomer[];
  /** The journey's templates in stage order: the first arrives at once, each next one after a wait. */
  readonly templates: readonly string[];
}

/** One mail the SMTP server accepted. */
export interface Delivery {
  readonly customer: string | undefined;
  readonly template: string | undefined;
  readonly commandId: string | undefined;
  /** When the dispatcher began the delivery: its MAIL FROM, after its last check (ms since the epoch). */
  readonly startedAt: number;
  /** When the server answered 250 (ms since the epoch). */
  readonly acceptedAt: number;
}

export interface Tally {
  /** Mails the server accepted. */
  readonly sent: number;
  /** Templates a person should have received (not halted, stage due) and did not. */
  readonly lost: number;
  /** Of those, the ones whose send the dispatcher parked in N.dlq as `delivery_uncertain`. */
  readonly lostParked: number;
  /** Mails that repeat a command id, or a template one person already received. */
  readonly duplicated: number;
  /** Mails whose delivery began after the person's halting event was acknowledged by Kafka. */
  readonly sentAfterHalt: number;
  /**
   * Mails whose delivery had begun before the halting event was acknowledged and ended after it: the
   * dispatcher checks before it begins a delivery and does not abort one under way. Reported, not a fault.
   */
  readonly inFlightAtHalt: number;
  /** The longest a delivery counted in `sentAfterHalt` began after the acknowledgement (ms; 0 if none). */
  readonly latestAfterHaltMs: number;
  /** Mails for nobody of the plan, or of a template outside the journey. */
  readonly unexpected: number;
  /** People of the plan whose halt was never acknowledged (a halt that could not be made). */
  readonly haltsUnacknowledged: number;
  /** A few examples of each problem, for a failing test to show. */
  readonly examples: readonly string[];
}

/** Every `step`-th person halts, the kinds taking turns: a tenth of 500 is the 50 of the manual test. */
export function planCustomers(count: number, step = 10, prefix = 'c'): PlannedCustomer[] {
  const kinds: HaltKind[] = ['reply-event', 'opt-out', 'reply-mail'];
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(width, '0')}`;
    return i % step === step - 1 ? { id, halt: kinds[Math.floor(i / step) % kinds.length] } : { id };
  });
}

/**
 * Pure. Counts what a scenario promises: nothing lost, nothing twice, nothing after a halt.
 * `parked` holds the `customer/template` pairs whose send was parked as `delivery_uncertain`.
 * `haltedAt` holds, per person who halted, when Kafka acknowledged the halting event. A person who
 * halts is owed only the first template (its arrival is what makes them halt); a later one whose delivery
 * began before the acknowledgement is no fault, one begun after it is.
 */
export function tally(
  plan: Plan,
  deliveries: readonly Delivery[],
  haltedAt: ReadonlyMap<string, number>,
  parked: ReadonlySet<string> = new Set(),
): Tally {
  const examples: string[] = [];
  const note = (line: string): void => {
    if (examples.length < 20) examples.push(line);
  };
  const mail = countMail(plan, deliveries, haltedAt, note);
  const owed = countOwed(plan, mail.received, haltedAt, parked, note);
  return {
    sent: deliveries.length,
    lost: owed.lost,
    lostParked: owed.lostParked,
    duplicated: mail.duplicated,
    sentAfterHalt: mail.sentAfterHalt,
    inFlightAtHalt: mail.inFlightAtHalt,
    latestAfterHaltMs: mail.latestAfterHaltMs,
    unexpected: mail.unexpected,
    haltsUnacknowledged: owed.haltsUnacknowledged,
    examples,
  };
}

type Note = (line: string) => void;

interface MailCounts {
  /** The `customer/template` pairs that arrived. */
  readonly received: ReadonlySet<string>;
  readonly duplicated: number;
  readonly sentAfterHalt: number;
  readonly inFlightAtHalt: number;
  readonly latestAfterHaltMs: number;
  readonly unexpected: number;
}

/** Pure. What the mail that arrived shows, in the order the server accepted it. */
function countMail(
  plan: Plan,
  deliveries: readonly Delivery[],
  haltedAt: ReadonlyMap<string, number>,
  note: Note,
): MailCounts {
  const planned = new Map(plan.customers.map((c) => [c.id, c]));
  const templates = new Set(plan.templates);
  const commandsSeen = new Set<string>();
  const received = new Set<string>();
  let duplicated = 0;
  let sentAfterHalt = 0;
  let inFlightAtHalt = 0;
  let latestAfterHaltMs = 0;
  let unexpected = 0;
  const ordered = [...deliveries].sort((a, b) => a.acceptedAt - b.acceptedAt);
  for (const mail of ordered) {
    const who = mail.customer === undefined ? undefined : planned.get(mail.customer);
    if (who === undefined || mail.template === undefined || !templates.has(mail.template)) {
      unexpected += 1;
      note(`unexpected mail ${mail.commandId ?? '?'} to ${mail.customer ?? '?'}: ${mail.template ?? '?'}`);
      continue;
    }
    const pair = `${who.id}/${mail.template}`;
    const repeatsCommand = mail.commandId !== undefined && commandsSeen.has(mail.commandId);
    if (repeatsCommand || received.has(pair)) {
      duplicated += 1;
      note(`duplicated: ${pair} (command ${mail.commandId ?? '?'})`);
    }
    if (mail.commandId !== undefined) commandsSeen.add(mail.commandId);
    received.add(pair);
    const halted = haltedAt.get(who.id);
    if (halted !== undefined && mail.startedAt > halted) {
      sentAfterHalt += 1;
      latestAfterHaltMs = Math.max(latestAfterHaltMs, mail.startedAt - halted);
      note(
        `after the halt: ${pair}, begun ${mail.startedAt - halted} ms after ${who.halt ?? '?'} was acknowledged`,
      );
    } else if (halted !== undefined && mail.acceptedAt > halted) {
      inFlightAtHalt += 1;
      note(
        `under way at the halt: ${pair}, begun ${halted - mail.startedAt} ms before ${who.halt ?? '?'} was acknowledged`,
      );
    }
  }
  return { received, duplicated, sentAfterHalt, inFlightAtHalt, latestAfterHaltMs, unexpected };
}

/** Pure. What each person of the plan was owed and did not get, and halts never acknowledged. */
function countOwed(
  plan: Plan,
  received: ReadonlySet<string>,
  haltedAt: ReadonlyMap<string, number>,
  parked: ReadonlySet<string>,
  note: Note,
): { lost: number; lostParked: number; haltsUnacknowledged: number } {
  let lost = 0;
  let lostParked = 0;
  let haltsUnacknowledged = 0;
  for (const customer of plan.customers) {
    const owed = customer.halt === undefined ? plan.templates : plan.templates.slice(0, 1);
    for (const template of owed)
      if (!received.has(`${customer.id}/${template}`)) {
        lost += 1;
        const wasParked = parked.has(`${customer.id}/${template}`);
        if (wasParked) lostParked += 1;
        note(`lost: ${customer.id}/${template}${wasParked ? ' (parked as delivery_uncertain)' : ''}`);
      }
    if (customer.halt !== undefined && received.has(`${customer.id}/${plan.templates[0]}`)) {
      if (!haltedAt.has(customer.id)) {
        haltsUnacknowledged += 1;
        note(`halt never acknowledged: ${customer.id} (${customer.halt})`);
      }
    }
  }
  return { lost, lostParked, haltsUnacknowledged };
}
