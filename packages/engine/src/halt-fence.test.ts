import type { EmailSendCommand, EventType } from '@tactful/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coveringFence, decisionTime } from './halt-fence';
import { haltScope } from './halt-scope';
import {
  DAY,
  HOUR,
  T0,
  Timeline,
  WHITEPAPER_FORM,
  catalogOf,
  makeEvent,
  sendsOf,
  whitepaper,
} from './test-kit';

// A journey that lists nothing in haltOn: only an opt-out or a hard bounce stops it.
const tips = `
id: tips
version: 1
name: Tips
trigger: { event: page.viewed }
reentry: always
haltOn: []
machine:
  initial: tip
  states:
    tip:
      entry: { type: send, params: { template: tip-1 } }
      after: { PT1H: done }
    done: { type: final }
`;

// The model: which journeys of the catalog below each halting event stops, written out by hand.
const nurture = `
id: nurture
version: 1
name: Nurture
trigger: { event: form.submitted }
reentry: always
haltOn: [email.replied]
products: [sku-a]
machine:
  initial: hello
  states:
    hello:
      entry: { type: send, params: { template: n-hello } }
      after: { PT2H: more }
    more:
      entry: { type: send, params: { template: n-more } }
      after: { PT2H: done }
    done: { type: final }
`;
const shop = `
id: shop
version: 1
name: Shop
trigger: { event: page.viewed }
reentry: always
haltOn: [purchase.completed]
machine:
  initial: nudge
  states:
    nudge:
      after: { PT1H: mail }
    mail:
      entry: { type: send, params: { template: s-nudge } }
      type: final
`;
const HALTS: Partial<Record<EventType, readonly string[] | 'all'>> = {
  'email.replied': ['nurture'],
  'purchase.completed': ['nurture', 'shop'],
  'contact.opted_out': 'all',
};

const DATA: Partial<Record<EventType, Record<string, unknown>>> = {
  'form.submitted': { formId: 'f', email: 'p@example.com' },
  'page.viewed': { url: 'https://shop.example.com/' },
  'purchase.completed': { orderId: 'o', items: [{ sku: 'sku-a' }] },
};

const command = (journey: string, createdAt: string) => ({ journey, createdAt });

describe('haltScope', () => {
  const catalog = catalogOf(whitepaper({ haltOn: ['email.replied'], products: ['sku-a'] }), tips);
  const event = (type: EventType, data: Record<string, unknown>) =>
    makeEvent(type, data, { id: 'evt-x', time: T0 });

  it.each([
    ['an opt-out', 'contact.opted_out', {}, { all: true }],
    ['a hard bounce', 'email.bounced', { hard: true }, { all: true }],
    ['a reply', 'email.replied', {}, { all: false, journeys: ['whitepaper-nurture'] }],
    [
      'a purchase of a product',
      'purchase.completed',
      { orderId: 'o', items: [{ sku: 'sku-a' }] },
      { all: false, journeys: ['whitepaper-nurture'] },
    ],
    ['a soft bounce', 'email.bounced', { hard: false }, undefined],
    [
      'a purchase of something else',
      'purchase.completed',
      { orderId: 'o', items: [{ sku: 'b' }] },
      undefined,
    ],
    ['a page view', 'page.viewed', { url: 'https://shop.example.com/' }, undefined],
  ] as const)('%s halts %o', (_what, type, data, scope) => {
    expect(haltScope(event(type, data), catalog)).toEqual(scope);
  });
});

describe('halt fences', () => {
  it('a reply fences the journeys that list it, even one the customer already completed', () => {
    const timeline = new Timeline(catalogOf(whitepaper({ haltOn: ['email.replied'] }), tips));
    const entered = timeline.apply('form.submitted', WHITEPAPER_FORM);
    const [welcome] = sendsOf(entered.effects);
    timeline.advance(10 * DAY); // check-in sent, then the journey completes
    expect(timeline.state.active).toEqual({});
    expect(timeline.state.history['whitepaper-nurture']?.outcome).toBe('completed');
    const checkIn = sendsOf(timeline.effects).find((c) => c.template === 'wp-checkin');

    timeline.advance(HOUR);
    timeline.apply('email.replied', { text: 'no' }, 'evt-reply');
    const fence = timeline.state.haltFences.journeys['whitepaper-nurture'];
    expect(fence).toEqual({ at: timeline.now.toISOString(), eventId: 'evt-reply', type: 'email.replied' });
    expect(timeline.state.haltFences.all).toBeUndefined();
    for (const sent of [welcome, checkIn])
      expect(coveringFence(timeline.state.haltFences, sent!)).toEqual({ fence, all: false });
    // a journey that does not list the reply is not fenced by it
    expect(coveringFence(timeline.state.haltFences, command('tips', T0.toISOString()))).toBeUndefined();
  });

  it('an opt-out and a hard bounce fence every journey; an opt-in later lets new decisions through', () => {
    const timeline = new Timeline(catalogOf(whitepaper(), tips));
    const before = sendsOf(timeline.apply('page.viewed', { url: 'https://shop.example.com/' }).effects);
    timeline.advance(HOUR);
    timeline.apply('contact.opted_out', {}, 'evt-out');
    expect(timeline.state.haltFences.all).toMatchObject({ eventId: 'evt-out', type: 'contact.opted_out' });
    expect(coveringFence(timeline.state.haltFences, before[0]!)?.all).toBe(true);

    timeline.advance(HOUR);
    timeline.apply('contact.opted_in', {});
    timeline.advance(2 * HOUR);
    const after = sendsOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects);
    expect(after).toHaveLength(1);
    expect(coveringFence(timeline.state.haltFences, after[0]!)).toBeUndefined();

    timeline.apply('email.bounced', { hard: true }, 'evt-bounce');
    expect(timeline.state.haltFences.all).toMatchObject({ eventId: 'evt-bounce', type: 'email.bounced' });
    expect(coveringFence(timeline.state.haltFences, after[0]!)?.fence.eventId).toBe('evt-bounce');
  });

  it('a soft bounce, a page view or an event no journey lists leaves the fences alone', () => {
    const timeline = new Timeline(catalogOf(whitepaper(), tips));
    timeline.apply('email.bounced', { hard: false });
    timeline.apply('email.clicked', {});
    timeline.apply('page.viewed', { url: 'https://shop.example.com/' });
    expect(timeline.state.haltFences).toEqual({ journeys: {} });
  });

  it('is never before a send recorded by an instance whose clock ran ahead, and never moves back', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    timeline.now = new Date(T0.getTime() + HOUR); // an instance an hour ahead decides the welcome
    const [welcome] = sendsOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects);
    timeline.now = T0; // the reply is applied on an instance with the right time
    timeline.apply('email.replied', {}, 'evt-1');
    expect(coveringFence(timeline.state.haltFences, welcome!)?.fence.eventId).toBe('evt-1');
    const first = timeline.state.haltFences.journeys['whitepaper-nurture']!;
    expect(Date.parse(first.at)).toBe(Date.parse(welcome!.createdAt));

    timeline.now = new Date(T0.getTime() - DAY); // a second reply, on an instance a day behind
    timeline.apply('email.replied', {}, 'evt-2');
    const second = timeline.state.haltFences.journeys['whitepaper-nurture']!;
    expect(second).toEqual({ at: first.at, eventId: 'evt-2', type: 'email.replied' });
  });

  it('dates a send decided after a fence after it, even on a clock behind the fence', () => {
    const timeline = new Timeline(catalogOf(shop));
    timeline.apply('page.viewed', DATA['page.viewed']);
    timeline.apply('purchase.completed', DATA['purchase.completed'], 'evt-buy');
    const fence = timeline.state.haltFences.journeys['shop']!;
    expect(fence).toMatchObject({ at: T0.toISOString(), eventId: 'evt-buy' });
    // entered again on an instance an hour behind; its wait comes due when that clock reaches the fence
    timeline.now = new Date(T0.getTime() - HOUR);
    timeline.apply('page.viewed', DATA['page.viewed']);
    const [again] = sendsOf(timeline.advance(HOUR));
    expect(again?.createdAt).toBe(new Date(T0.getTime() + 1).toISOString());
    expect(coveringFence(timeline.state.haltFences, again!)).toBeUndefined();
    expect(decisionTime(timeline.state, 'other', timeline.now)).toEqual(timeline.now);
  });

  it('a command with a createdAt it cannot read is not taken as covered (the schema refuses it earlier)', () => {
    const fences = { journeys: { j: { at: T0.toISOString(), eventId: 'e', type: 'email.replied' } } };
    expect(coveringFence(fences, command('j', 'yesterday'))).toBeUndefined();
    expect(coveringFence(fences, command('j', T0.toISOString()))?.fence.eventId).toBe('e');
  });
});

type Step =
  | { kind: 'event'; type: EventType }
  | { kind: 'advance'; ms: number }
  /** The next event is applied by an instance whose clock is this far behind or ahead. */
  | { kind: 'skew'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc
    .constantFrom<EventType>(
      'form.submitted',
      'page.viewed',
      'email.replied',
      'purchase.completed',
      'contact.opted_out',
      'contact.opted_in',
    )
    .map((type) => ({ kind: 'event' as const, type })),
  fc.integer({ min: 0, max: 3 * HOUR }).map((ms) => ({ kind: 'advance' as const, ms })),
  fc.integer({ min: -HOUR, max: HOUR }).map((ms) => ({ kind: 'skew' as const, ms })),
);

describe('for every life, with the clocks of the instances apart by up to an hour', () => {
  it('a command decided before a halting event of its journey is covered from then on; one decided after every such event is not', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const timeline = new Timeline(catalogOf(nurture, shop));
        // every command so far, and whether a halting event of its journey was applied after it
        const commands: { command: EmailSendCommand; halted: boolean }[] = [];
        let truth = T0.getTime();
        let skew = 0;
        const record = (effects: ReturnType<Timeline['apply']>['effects']) => {
          for (const c of sendsOf(effects)) {
            expect(coveringFence(timeline.state.haltFences, c)).toBeUndefined();
            commands.push({ command: c, halted: false });
          }
        };
        for (const next of steps) {
          if (next.kind === 'skew') skew = next.ms;
          else if (next.kind === 'advance') {
            truth += next.ms;
            timeline.now = new Date(truth + skew);
            // fires the waits that came due, each one a step of its own
            const before = timeline.effects.length;
            timeline.advance(0);
            record(timeline.effects.slice(before));
          } else {
            timeline.now = new Date(truth + skew);
            const result = timeline.apply(next.type, DATA[next.type] ?? {});
            const halts = HALTS[next.type];
            for (const entry of commands)
              if (halts === 'all' || halts?.includes(entry.command.journey)) entry.halted = true;
            record(result.effects);
          }
          for (const { command: c, halted } of commands)
            expect(coveringFence(timeline.state.haltFences, c) !== undefined).toBe(halted);
        }
      }),
      { numRuns: 300 },
    );
  });
});
