// step() in memory, no I/O: the compute limit of the orchestrator, on three paths over the same events:
//   - compiled: step() on the journeys' step tables (what the services run);
//   - xstate:   step() calling XState's transition() for every journey and event (the reference);
//   - and, for the journey moves those events make, XState's transition() alone (snapshots already
//     restored), the old per-move work (restore a stored snapshot, transition, persist it as JSON), and a
//     compiled lookup alone.
// Two workloads: `inquiry` (each event a new customer's contact-us form: one entry, one send, one wait)
// and `lives` (customers who enter several journeys, open, get timers fired, buy and complete).
//   npx tsx bench/step.ts [--customers 5000] [--rounds 5]      (also part of `npm run bench`)
// The numbers are medians over rounds: per event, wall-clock time (what else runs on the machine shows
// there), CPU time of the process (the cost on one core; GC helper threads included) and GC time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  buildCatalog,
  byIdOf,
  emptyCustomerState,
  step,
  timerFiredEvent,
  type CatalogEntry,
  type CustomerState,
  type JourneyCatalog,
  type StepContext,
  type Timer,
} from '@tactful/engine';
import type { EventType, TactfulEvent } from '@tactful/events';
import {
  loadJourneys,
  requireJourneys,
  valueOfStage,
  type JourneyMachine,
  type JourneyStepper,
  type LoadedJourney,
} from '@tactful/journeys';
import { parsePolicyOrThrow, type Policy } from '@tactful/policy';
import { transition } from 'xstate';
import { median, type Rate } from './rate';

export type { Rate } from './rate';

type Timed = { event: TactfulEvent; now: Date };
/** One journey move as the engine asks for it. */
type Move = {
  entry: CatalogEntry;
  stage: string;
  event: { type: string; data?: unknown };
  customerId: string;
};

export interface StepBench {
  customers: number;
  rounds: number;
  inquiry: { events: number; compiled: Rate; xstate: Rate };
  lives: { events: number; compiled: Rate; xstate: Rate };
  moves: {
    count: number;
    xstateTransitionAlone: Rate;
    xstateRestoreTransitionPersist: Rate;
    compiledLookup: Rate;
  };
}

/** Caps out of the way, so every send goes out; quiet hours are read (the virtual clock is in the day). */
export const BENCH_POLICY = `frequency: { maxPerDay: 50, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "21:00", end: "08:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`;

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const DAY = 86_400_000;

function event(type: EventType, subject: string, id: string, at: number, data: object): TactfulEvent {
  const time = new Date(at).toISOString();
  return { specversion: '1.0', id, source: 'bench/step', type, subject, time, data } as TactfulEvent;
}

/** Each customer's events in order, with the clock; timers fire when the life says so. */
export function lifeOf(i: number, ctx: StepContext): Timed[] {
  const customer = `life-${i}`;
  const timed: Timed[] = [];
  let state = emptyCustomerState(customer);
  let pending: Timer[] = [];
  const apply = (e: TactfulEvent, at: number) => {
    const now = new Date(at);
    const result = step(state, e, now, ctx);
    state = result.state;
    for (const effect of result.effects) {
      if (effect.type === 'schedule') pending.push(effect.timer);
      if (effect.type === 'cancel') pending = pending.filter((t) => t.id !== effect.timerId);
    }
    timed.push({ event: e, now });
  };
  const fire = (journey: string, at: number) => {
    const timer = pending.find((t) => t.journey === journey);
    if (timer === undefined) throw new Error(`no pending wait of ${journey}`);
    pending = pending.filter((t) => t !== timer);
    apply(timerFiredEvent(timer, new Date(at)), at);
  };
  const email = `c${i}@example.com`;
  apply(event('form.submitted', customer, `${customer}-1`, T0, { formId: 'whitepaper-2026', email }), T0);
  apply(
    event('page.viewed', customer, `${customer}-2`, T0 + 1000, {
      url: 'https://x.example/',
      sku: 'trip-lisbon',
    }),
    T0 + 1000,
  );
  apply(event('email.opened', customer, `${customer}-3`, T0 + DAY, {}), T0 + DAY);
  fire('trip-planning', T0 + 2 * DAY);
  apply(
    event('email.clicked', customer, `${customer}-4`, T0 + 2 * DAY + 1, { url: 'https://x.example/a' }),
    T0 + 2 * DAY + 1,
  );
  fire('whitepaper-nurture', T0 + 6 * DAY);
  apply(
    event('purchase.completed', customer, `${customer}-5`, T0 + 6 * DAY + 1, {
      orderId: `o-${i}`,
      items: [{ sku: 'trip-lisbon' }],
    }),
    T0 + 6 * DAY + 1,
  );
  return timed;
}

function inquiryOf(i: number): Timed[] {
  const customer = `inq-${i}`;
  const data = { formId: 'contact-us', email: `c${i}@example.com`, fields: { message: `question ${i}` } };
  return [{ event: event('form.submitted', customer, `${customer}-1`, T0, data), now: new Date(T0) }];
}

export function replay(lives: readonly Timed[][], ctx: StepContext): void {
  for (const life of lives) {
    let state: CustomerState = emptyCustomerState(life[0]?.event.subject ?? '');
    for (const { event: e, now } of life) state = step(state, e, now, ctx).state;
  }
}

/** The catalog with every journey's stepper wrapped to record the moves asked of it. */
function recording(catalog: JourneyCatalog, moves: Move[]): JourneyCatalog {
  const wrap = (entry: CatalogEntry): CatalogEntry => {
    const steps: JourneyStepper = {
      journeyId: entry.steps.journeyId,
      start: () => entry.steps.start(),
      next: (stage, e, customerId) => {
        moves.push({ entry, stage, event: { type: e.type, data: e.data }, customerId });
        return entry.steps.next(stage, e, customerId);
      },
      isFinal: (stage) => entry.steps.isFinal(stage),
    };
    return { ...entry, steps };
  };
  const versions = new Map([...catalog.versions].map(([key, entry]) => [key, wrap(entry)]));
  const latest = catalog.latest.map(
    (entry) => versions.get(`${entry.journey.id}@${entry.journey.version}`) ?? entry,
  );
  return { latest, versions, byId: byIdOf(versions.values()) };
}

async function measureMoves(moves: readonly Move[], rounds: number) {
  const restore = (machine: JourneyMachine, stage: string) =>
    machine.resolveState({ value: valueOfStage(stage), context: {} });
  const restored = moves.map((m) => ({ ...m, snapshot: restore(m.entry.machine, m.stage) }));
  const stored = moves.map((m) => ({
    ...m,
    json: JSON.stringify(m.entry.machine.getPersistedSnapshot(restore(m.entry.machine, m.stage))),
  }));
  return {
    count: moves.length,
    xstateTransitionAlone: await median(rounds, moves.length, () => {
      for (const m of restored)
        transition(m.entry.machine, m.snapshot, { ...m.event, customerId: m.customerId });
    }),
    xstateRestoreTransitionPersist: await median(rounds, moves.length, () => {
      for (const m of stored) {
        const { machine } = m.entry;
        const snapshot = machine.resolveState(
          JSON.parse(m.json) as Parameters<JourneyMachine['resolveState']>[0],
        );
        const [next] = transition(machine, snapshot, { ...m.event, customerId: m.customerId });
        JSON.parse(JSON.stringify(machine.getPersistedSnapshot(next)));
      }
    }),
    compiledLookup: await median(rounds, moves.length, () => {
      for (const m of moves) m.entry.steps.next(m.stage, m.event, m.customerId);
    }),
  };
}

/** Measures step() on the journeys of `loaded` (the repository's examples), under `BENCH_POLICY`. */
export async function benchStep(
  loaded: readonly LoadedJourney[],
  {
    customers,
    rounds,
    policy = parsePolicyOrThrow(BENCH_POLICY, 'bench-policy.yaml'),
  }: { customers: number; rounds: number; policy?: Policy },
): Promise<StepBench> {
  const compiled: StepContext = { catalog: buildCatalog(loaded), policy };
  const xstate: StepContext = { catalog: buildCatalog(loaded, { stepWith: 'xstate' }), policy };
  const inquiries = Array.from({ length: customers }, (_, i) => inquiryOf(i));
  const lives = Array.from({ length: customers }, (_, i) => lifeOf(i, compiled));
  const count = (workload: Timed[][]) => workload.reduce((n, life) => n + life.length, 0);
  const moves: Move[] = [];
  replay(lives, { ...compiled, catalog: recording(compiled.catalog, moves) });
  return {
    customers,
    rounds,
    inquiry: {
      events: count(inquiries),
      compiled: await median(rounds, count(inquiries), () => replay(inquiries, compiled)),
      xstate: await median(rounds, count(inquiries), () => replay(inquiries, xstate)),
    },
    lives: {
      events: count(lives),
      compiled: await median(rounds, count(lives), () => replay(lives, compiled)),
      xstate: await median(rounds, count(lives), () => replay(lives, xstate)),
    },
    moves: await measureMoves(moves, rounds),
  };
}

/** Pure. The table `npm run bench` prints. */
export function stepTable(bench: StepBench): string {
  const cells = (rate: Rate) =>
    [
      rate.eventsPerSecond,
      rate.microsPerEvent.toFixed(2),
      rate.cpuMicrosPerEvent.toFixed(2),
      rate.cpuEventsPerSecond,
      rate.gcMicrosPerEvent.toFixed(2),
    ]
      .map((cell) => String(cell).padStart(9))
      .join(' ');
  const row = (what: string, rate: Rate) => `${what.padEnd(50)} ${cells(rate)}`;
  const head = (what: string, unit: string) =>
    `${what.padEnd(50)} ${[`${unit}s/s`, `µs/${unit}`, 'CPU µs', '/s CPU', 'GC µs'].map((h) => h.padStart(9)).join(' ')}`;
  return [
    head('step() in memory', 'event'),
    row(`inquiry (${bench.inquiry.events} events), compiled`, bench.inquiry.compiled),
    row('inquiry, through XState', bench.inquiry.xstate),
    row(`lives (${bench.lives.events} events), compiled`, bench.lives.compiled),
    row('lives, through XState', bench.lives.xstate),
    head(`journey moves of the lives (${bench.moves.count})`, 'move'),
    row('XState transition() alone', bench.moves.xstateTransitionAlone),
    row('XState restore + transition() + persist as JSON', bench.moves.xstateRestoreTransitionPersist),
    row('compiled lookup', bench.moves.compiledLookup),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '5' },
      journeys: { type: 'string', default: new URL('../journeys', import.meta.url).pathname },
    },
  });
  const loaded = requireJourneys(await loadJourneys(values.journeys));
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
    ...(await benchStep(loaded, { customers: Number(values.customers), rounds: Number(values.rounds) })),
  };
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `step-${result.at.replaceAll(':', '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.error(`${stepTable(result)}\nwritten to bench/results/${path.basename(file)}`);
}
