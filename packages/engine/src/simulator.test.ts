import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimulatedStep } from './simulator';
import { createSimulator, deliveryEventId } from './simulator';
import { emptyCustomerState } from './customer-state';
import {
  CUSTOMER,
  DAY,
  DEFAULT_POLICY,
  HOUR,
  RELAXED_POLICY,
  T0,
  WHITEPAPER_FORM,
  Timeline,
  catalogOf,
  makeEvent,
  whitepaper,
} from './test-kit';

const catalog = catalogOf(whitepaper());
const start = T0.getTime();

function simulate(policy = RELAXED_POLICY) {
  const steps: SimulatedStep[] = [];
  const simulator = createSimulator(emptyCustomerState(CUSTOMER), { catalog, policy }, start, {
    onStep: (s) => steps.push(s),
  });
  const at = (ms: number) => start + ms;
  const event = (
    id: string,
    type: Parameters<typeof makeEvent>[0],
    data: Record<string, unknown>,
    ms: number,
  ) => makeEvent(type, data, { id, time: new Date(at(ms)) });
  return { simulator, steps, at, event };
}

const decisionsOf = (steps: readonly SimulatedStep[]) =>
  steps.flatMap((s) =>
    s.decisions.map((d) => [s.cause, new Date(s.at).toISOString(), d.decision, d.template ?? d.journey]),
  );

describe('createSimulator', () => {
  it('fires a wait when the clock passes it, reports each send back as email.sent, and completes', () => {
    const { simulator, steps, event } = simulate();
    simulator.apply(event('e1', 'form.submitted', WHITEPAPER_FORM, 0), start);
    simulator.advance(start + 10 * DAY);
    expect(decisionsOf(steps)).toEqual([
      ['event', '2026-11-23T12:00:00.000Z', 'entered', 'whitepaper-nurture'],
      ['event', '2026-11-23T12:00:00.000Z', 'sent', 'wp-welcome'],
      ['timer', '2026-11-26T12:00:00.000Z', 'sent', 'wp-checkin'],
      ['timer', '2026-12-01T12:00:00.000Z', 'completed', 'whitepaper-nurture'],
    ]);
    const deliveries = steps.filter((s) => s.cause === 'delivery');
    expect(deliveries.map((s) => [s.event.type, s.event.id, new Date(s.at).toISOString()])).toEqual([
      ['email.sent', deliveryEventId(steps[0]!.sends[0]!.id), '2026-11-23T12:00:00.000Z'],
      ['email.sent', deliveryEventId(steps[2]!.sends[0]!.id), '2026-11-26T12:00:00.000Z'],
    ]);
    expect(simulator.pendingTimers()).toEqual([]);
    expect(simulator.now).toBe(start + 10 * DAY);
  });

  it('halts a pending stage on a reply: the wait is cancelled and never fires', () => {
    const { simulator, steps, event } = simulate();
    simulator.apply(event('e1', 'form.submitted', WHITEPAPER_FORM, 0), start);
    simulator.apply(event('e2', 'email.replied', { text: 'no' }, DAY), start + DAY);
    simulator.advance(start + 30 * DAY);
    expect(decisionsOf(steps).map((d) => d.slice(2))).toEqual([
      ['entered', 'whitepaper-nurture'],
      ['sent', 'wp-welcome'],
      ['halted', 'whitepaper-nurture'],
    ]);
    expect(steps.some((s) => s.cause === 'timer')).toBe(false);
  });

  it('fires timers due before an event first, in due order, and ignores an event id it already applied', () => {
    const { simulator, steps, event } = simulate();
    simulator.apply(event('e1', 'form.submitted', WHITEPAPER_FORM, 0), start);
    simulator.apply(event('e2', 'email.opened', {}, 4 * DAY), start + 4 * DAY);
    simulator.apply(event('e2', 'email.opened', {}, 4 * DAY), start + 4 * DAY);
    // the 3-day wait fired before the open, so the open finds the person in checkIn and does nothing
    expect(steps.map((s) => [s.cause, s.event.type])).toEqual([
      ['event', 'form.submitted'],
      ['delivery', 'email.sent'],
      ['timer', 'timer.fired'],
      ['delivery', 'email.sent'],
      ['event', 'email.opened'],
    ]);
  });

  it('never moves a customer’s clock backwards', () => {
    const { simulator, steps, event } = simulate();
    simulator.apply(event('e1', 'form.submitted', WHITEPAPER_FORM, 0), start + HOUR);
    simulator.apply(event('e2', 'email.opened', {}, 0), start);
    expect(steps.at(-1)!.at).toBe(start + HOUR);
    expect(simulator.now).toBe(start + HOUR);
  });

  it('decides what the orchestrator decides, for every life (the test kit plays the orchestrator)', () => {
    const moves = fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 5 * DAY }),
        type: fc.constantFrom(
          'form.submitted',
          'email.opened',
          'email.replied',
          'page.viewed',
        ) as fc.Arbitrary<'form.submitted' | 'email.opened' | 'email.replied' | 'page.viewed'>,
      }),
      { maxLength: 8 },
    );
    const dataOf = (type: string) =>
      type === 'form.submitted'
        ? WHITEPAPER_FORM
        : type === 'page.viewed'
          ? { url: 'https://x.example/a' }
          : {};
    fc.assert(
      fc.property(moves, fc.constantFrom(RELAXED_POLICY, DEFAULT_POLICY), (lives, policy) => {
        const steps: SimulatedStep[] = [];
        const simulator = createSimulator(emptyCustomerState(CUSTOMER), { catalog, policy }, start, {
          deliver: false,
          onStep: (s) => steps.push(s),
        });
        const kit = new Timeline(catalog, policy, { now: T0 });
        let clock = start;
        lives.forEach(({ gap, type }, i) => {
          clock += gap;
          kit.advance(clock - kit.now.getTime());
          kit.applyEvent(makeEvent(type, dataOf(type), { id: `e${i}`, time: new Date(clock) }));
          simulator.apply(makeEvent(type, dataOf(type), { id: `e${i}`, time: new Date(clock) }), clock);
        });
        kit.advance(start + 60 * DAY - kit.now.getTime());
        simulator.advance(start + 60 * DAY);
        const kitAudits = kit.effects.flatMap((e) => (e.type === 'audit' ? [e.record] : []));
        expect(steps.flatMap((s) => s.decisions)).toEqual(kitAudits);
        expect(simulator.state).toEqual(kit.state);
      }),
      { numRuns: 60 },
    );
  });
});
