import type { EventType } from '@tactful/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Timer } from './effect';
import { CustomerState } from './customer-state';
import { step } from './step';
import { compactState } from './stored-state';
import {
  DAY,
  DEFAULT_POLICY,
  HOUR,
  RELAXED_POLICY,
  Timeline,
  auditsOf,
  catalogOf,
  sendsOf,
} from './test-kit';

// Journeys that share templates, re-enter, loop, nest and wait, so that random lives meet every rule.
const nurture = `
id: nurture
version: 2
name: Nurture
trigger: { event: form.submitted, where: { formId: wp } }
reentry: always
haltOn: [email.replied]
products: [sku-a]
machine:
  initial: welcome
  states:
    welcome:
      entry: { type: send, params: { template: shared-hello } }
      on: { email.opened: engaged }
      after: { PT6H: checkIn }
    engaged:
      entry: { type: send, params: { template: nurture-case } }
      after: { P1D: done }
    checkIn:
      entry: { type: send, params: { template: shared-tips } }
      after: { P1D: done }
    done: { type: final }
`;
const browse = `
id: browse
version: 1
name: Browse
trigger: { event: page.viewed }
reentry: PT12H
haltOn: [purchase.completed]
audience: { exclude: [customers] }
machine:
  initial: looking
  states:
    looking:
      after: { PT2H: idle }
      on:
        email.clicked:
          - { target: nudge, guard: { type: dataEquals, params: { path: url, value: "https://shop.example.com/a" } } }
    idle:
      on: { page.viewed: looking, email.clicked: nudge }
      after: { P1D: done }
    nudge:
      entry: { type: send, params: { template: shared-hello } }
      after: { PT1H: done }
    done: { type: final }
`;
const thanks = `
id: thanks
version: 1
name: Thanks
trigger: { event: purchase.completed }
reentry: always
haltOn: [email.replied]
machine:
  initial: thank
  states:
    thank:
      entry: [{ type: send, params: { template: thanks-note } }]
      after: { PT3H: tips }
    tips:
      entry: { type: send, params: { template: shared-tips } }
      type: final
`;

type Action =
  | { kind: 'event'; type: EventType; data: Record<string, unknown> }
  | { kind: 'advance'; ms: number }
  /** The timer service fires any timer ever scheduled, now: early, late, twice, or after a cancel. */
  | { kind: 'fire'; index: number };

const channel = fc.constantFrom(undefined, 'all', 'email');
const withChannel = (c: string | undefined) => (c === undefined ? {} : { channel: c });

const often = (arbitrary: fc.Arbitrary<Action>) => ({ arbitrary, weight: 4 });
const rarely = (arbitrary: fc.Arbitrary<Action>) => ({ arbitrary, weight: 1 });

// Opt-outs and bounces end most of what follows, so they come rarely; the rest of life comes often.
const action: fc.Arbitrary<Action> = fc.oneof(
  often(
    fc.constantFrom('wp', 'other').map((formId) => ({
      kind: 'event' as const,
      type: 'form.submitted' as const,
      data: { formId, email: 'p@example.com' },
    })),
  ),
  often(fc.constant({ kind: 'event', type: 'page.viewed', data: { url: 'https://shop.example.com/' } })),
  often(fc.constant({ kind: 'event', type: 'email.opened', data: {} })),
  often(
    fc.constantFrom('https://shop.example.com/a', 'https://shop.example.com/b').map((url) => ({
      kind: 'event' as const,
      type: 'email.clicked' as const,
      data: { url },
    })),
  ),
  rarely(fc.constant({ kind: 'event', type: 'email.replied', data: {} })),
  often(
    fc.subarray(['sku-a', 'sku-b']).map((skus) => ({
      kind: 'event' as const,
      type: 'purchase.completed' as const,
      data: { orderId: 'o', items: skus.map((sku) => ({ sku })) },
    })),
  ),
  rarely(channel.map((c) => ({ kind: 'event', type: 'contact.opted_out', data: withChannel(c) }))),
  rarely(channel.map((c) => ({ kind: 'event', type: 'contact.opted_in', data: withChannel(c) }))),
  rarely(
    fc.constantFrom('prospect', 'customer', 'former-customer').map((status) => ({
      kind: 'event' as const,
      type: 'customer.status_changed' as const,
      data: { status },
    })),
  ),
  rarely(
    fc
      .constantFrom(false, false, false, true)
      .map((hard) => ({ kind: 'event', type: 'email.bounced', data: { hard } })),
  ),
  often(fc.integer({ min: 0, max: 3 * DAY }).map((ms) => ({ kind: 'advance', ms }))),
  often(fc.nat().map((index) => ({ kind: 'fire', index }))),
);

/** An independent model of whether email may reach the person (CONTRACT.md section 3 opt-outs). */
class OptOutModel {
  private all = false;
  private email = false;
  private backIn = false;

  apply(type: EventType, data: Record<string, unknown>): void {
    const c = (data['channel'] as string | undefined) ?? 'all';
    if (type === 'contact.opted_out') {
      if (c === 'all') this.all = true;
      else this.email = true;
      this.backIn = false;
    } else if (type === 'contact.opted_in') {
      if (c === 'all') [this.all, this.email, this.backIn] = [false, false, false];
      else [this.email, this.backIn] = [false, this.all];
    }
  }

  get blocked(): boolean {
    return this.email || (this.all && !this.backIn);
  }
}

describe('for every life of a customer', () => {
  const catalog = catalogOf(nurture, browse, thanks);

  it('no template is sent twice, nothing is sent while opted out or after a hard bounce, every send is audited, and every step replays identically', () => {
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 40 }),
        fc.constantFrom(RELAXED_POLICY, DEFAULT_POLICY),
        (actions, policy) => {
          const timeline = new Timeline(catalog, policy);
          const optOut = new OptOutModel();
          let bounced = false;
          const everScheduled: Timer[] = [];
          const sent: string[] = [];

          // Wraps every step: the checks apply to steps fired by `advance` as much as to direct events.
          const applyEvent = timeline.applyEvent.bind(timeline);
          timeline.applyEvent = (event) => {
            const before = timeline.state;
            const result = applyEvent(event);
            expect(step(before, event, timeline.now, timeline.ctx)).toEqual(result);
            // the state as stored (defaults left out) reads back as the same state
            expect(CustomerState.parse(compactState(result.state))).toEqual(result.state);
            const commands = sendsOf(result.effects);
            if (optOut.blocked || bounced) expect(commands).toEqual([]);
            const audited = auditsOf(result.effects).filter((a) => a.decision === 'sent');
            expect(audited.map((a) => a.commandId)).toEqual(commands.map((c) => c.id));
            sent.push(...commands.map((c) => c.template));
            for (const effect of result.effects)
              if (effect.type === 'schedule') everScheduled.push(effect.timer);
            return result;
          };

          for (const next of actions) {
            if (next.kind === 'event') {
              optOut.apply(next.type, next.data);
              if (next.type === 'email.bounced' && next.data['hard'] === true) bounced = true;
              timeline.apply(next.type, next.data);
            } else if (next.kind === 'advance') {
              timeline.advance(next.ms);
            } else if (everScheduled.length > 0) {
              const timer = everScheduled[next.index % everScheduled.length];
              if (timer !== undefined) timeline.fire(timer);
            }
          }
          timeline.advance(10 * DAY + HOUR);
          expect(new Set(sent).size).toBe(sent.length);
          expect(timeline.state.templatesSent).toEqual(expect.arrayContaining(sent));
        },
      ),
      { numRuns: 300 },
    );
  });
});
