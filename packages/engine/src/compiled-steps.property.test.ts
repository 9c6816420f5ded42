import { readdirSync, readFileSync } from 'node:fs';
import type { EventType } from '@tactful/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from './catalog';
import type { CustomerState } from './customer-state';
import type { Effect, Timer } from './effect';
import { DAY, DEFAULT_POLICY, RELAXED_POLICY, Timeline, journey } from './test-kit';

// The claim: for every life of a customer, step() on the step tables compiled at load and step()
// through XState's transition() give the same states and the same effects, and step() never changes
// the state it is given (it is deep-frozen here: a write to any part of it throws).

// A nested journey with a guard, an exit send, an outer wait and a final state inside a state.
const nested = `
id: trial
version: 1
name: Trial
trigger: { event: form.submitted, where: { formId: trial } }
reentry: always
haltOn: [email.replied]
machine:
  initial: onboarding
  states:
    onboarding:
      initial: welcome
      after: { P3D: closing }
      exit: { type: send, params: { template: trial-bye } }
      states:
        welcome:
          entry: { type: send, params: { template: trial-welcome } }
          on:
            email.clicked:
              - { target: pricing, guard: { type: dataEquals, params: { path: url, value: "https://x.example/pricing" } } }
              - { target: tips }
        pricing:
          entry: { type: send, params: { template: trial-pricing } }
          on: { email.opened: read }
        read: { type: final }
        tips:
          after: { PT6H: "#closing" }
    closing:
      entry: { type: send, params: { template: trial-closing } }
      after: { "3600000": done }
    done: { type: final }
`;

const examplesDir = new URL('../../../journeys/', import.meta.url);
const inputs = [
  ...readdirSync(examplesDir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => journey(readFileSync(new URL(name, examplesDir), 'utf8'))),
  journey(nested),
];
const compiled = buildCatalog(inputs);
const reference = buildCatalog(inputs, { stepWith: 'xstate' });

type Happening =
  | { kind: 'event'; type: EventType; data: Record<string, unknown> }
  | { kind: 'advance'; ms: number }
  | { kind: 'fire'; index: number };

const event = (type: EventType, data: Record<string, unknown>): Happening => ({ kind: 'event', type, data });
const email = 'p@example.com';
const happening: fc.Arbitrary<Happening> = fc.oneof(
  fc
    .constantFrom('contact-us', 'whitepaper-2026', 'test-drive', 'newsletter', 'trial', 'other')
    .map((formId) => event('form.submitted', { formId, email })),
  fc
    .constantFrom('trip-lisbon', 'sku-travel-adapter')
    .map((sku) => event('page.viewed', { url: 'https://x.example/', sku })),
  fc.constant(event('email.opened', {})),
  fc
    .constantFrom('https://x.example/pricing', 'https://x.example/blog')
    .map((url) => event('email.clicked', { url })),
  fc
    .subarray(['trip-lisbon', 'sku-travel-adapter', 'sku-other'])
    .map((skus) => event('purchase.completed', { orderId: 'o', items: skus.map((sku) => ({ sku })) })),
  fc.constantFrom('prospect', 'customer').map((status) => event('customer.status_changed', { status })),
  fc.constant(event('email.replied', {})),
  fc.constant(event('contact.opted_out', { channel: 'email' })),
  fc.constant(event('contact.opted_in', {})),
  fc.integer({ min: 0, max: 4 * DAY }).map((ms): Happening => ({ kind: 'advance', ms })),
  fc.nat().map((index): Happening => ({ kind: 'fire', index })),
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A timeline whose every step is given a deep-frozen state, and that records the timers it scheduled. */
function timelineOn(catalog: typeof compiled, policy: typeof DEFAULT_POLICY) {
  const timeline = new Timeline(catalog, policy);
  const scheduled: Timer[] = [];
  const applyEvent = timeline.applyEvent.bind(timeline);
  timeline.applyEvent = (e) => {
    timeline.state = deepFreeze(timeline.state);
    const result = applyEvent(e);
    for (const effect of result.effects) if (effect.type === 'schedule') scheduled.push(effect.timer);
    return result;
  };
  return { timeline, scheduled };
}

function live(catalog: typeof compiled, policy: typeof DEFAULT_POLICY, happenings: readonly Happening[]) {
  const { timeline, scheduled } = timelineOn(catalog, policy);
  const states: CustomerState[] = [];
  for (const next of happenings) {
    if (next.kind === 'event') timeline.apply(next.type, next.data);
    else if (next.kind === 'advance') timeline.advance(next.ms);
    else {
      // The timer service fires any timer ever scheduled: early, late, twice or after a cancel.
      const timer = scheduled[next.index % Math.max(1, scheduled.length)];
      if (timer !== undefined) timeline.fire(timer);
    }
    states.push(timeline.state);
  }
  timeline.advance(30 * DAY);
  states.push(timeline.state);
  return { states, effects: timeline.effects as readonly Effect[] };
}

describe('step() on compiled journeys', () => {
  it('gives the same states and effects as step() through XState, and never changes its input', () => {
    fc.assert(
      fc.property(
        fc.array(happening, { maxLength: 40 }),
        fc.constantFrom(RELAXED_POLICY, DEFAULT_POLICY),
        (happenings, policy) => {
          const ours = live(compiled, policy, happenings);
          const xstate = live(reference, policy, happenings);
          expect(ours.states).toEqual(xstate.states);
          expect(ours.effects).toEqual(xstate.effects);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('the lives send, wait, move inside nested states, take both sides of the guard and complete', () => {
    const lives = fc.sample(fc.array(happening, { minLength: 20, maxLength: 40 }), { numRuns: 50, seed: 7 });
    const effects = lives.flatMap((happenings) => live(compiled, RELAXED_POLICY, happenings).effects);
    const audits = effects.flatMap((e) => (e.type === 'audit' ? [e.record] : []));
    for (const decision of ['entered', 'sent', 'completed', 'halted']) {
      expect(audits.some((a) => a.decision === decision)).toBe(true);
    }
    for (const stage of ['onboarding.pricing', 'onboarding.welcome', 'closing']) {
      expect(audits.some((a) => a.decision === 'sent' && a.stage === stage)).toBe(true);
    }
    expect(audits.some((a) => a.template === 'trial-bye')).toBe(true);
    expect(effects.some((e) => e.type === 'cancel')).toBe(true);
  }, 60_000);
});
