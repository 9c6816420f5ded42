import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { planCustomers, tally, type Delivery, type Plan } from './tally';

const TEMPLATES = ['wp-welcome', 'wp-checkin'];

/** What a faultless run delivers: every template owed once, in order; each halt acknowledged after the first. */
function faultless(plan: Plan, checkInBeforeHalt: (id: string) => boolean) {
  const deliveries: Delivery[] = [];
  const haltedAt = new Map<string, number>();
  let clock = 1_000;
  plan.customers.forEach((c, i) => {
    const at = (clock += 10);
    const mail = (template: string | undefined, n: number, acceptedAt: number): Delivery => ({
      customer: c.id,
      template,
      commandId: `cmd-${i}-${n}`,
      startedAt: acceptedAt - 2,
      acceptedAt,
    });
    deliveries.push(mail(TEMPLATES[0], 0, at));
    if (c.halt === undefined || checkInBeforeHalt(c.id)) deliveries.push(mail(TEMPLATES[1], 1, at + 5));
    if (c.halt !== undefined) haltedAt.set(c.id, at + 7);
  });
  return { deliveries, haltedAt };
}

const planArb = fc
  .record({ count: fc.integer({ min: 1, max: 60 }), step: fc.integer({ min: 1, max: 10 }) })
  .map(({ count, step }): Plan => ({ customers: planCustomers(count, step), templates: TEMPLATES }));

describe('tally', () => {
  test('a faultless run counts nothing wrong, whoever halts and whenever', () => {
    fc.assert(
      fc.property(planArb, fc.func(fc.boolean()), (plan, early) => {
        const { deliveries, haltedAt } = faultless(plan, early);
        const counted = tally(plan, deliveries, haltedAt);
        expect(counted).toMatchObject({ sent: deliveries.length, lost: 0, duplicated: 0, sentAfterHalt: 0 });
        expect(counted).toMatchObject({ unexpected: 0, haltsUnacknowledged: 0, examples: [] });
      }),
    );
  });

  test('each mail dropped is one lost, each repeated (same command, or same template) one duplicated', () => {
    fc.assert(
      fc.property(planArb, fc.nat(), fc.boolean(), (plan, pick, sameCommand) => {
        const { deliveries, haltedAt } = faultless(plan, () => false);
        const victim = deliveries[pick % deliveries.length]!;
        const without = deliveries.filter((d) => d !== victim);
        expect(tally(plan, without, haltedAt).lost).toBe(1);
        // a repeat just after the original (before any halt it precedes)
        const again = {
          ...victim,
          startedAt: victim.startedAt + 1,
          acceptedAt: victim.acceptedAt + 1,
          commandId: sameCommand ? victim.commandId : 'cmd-other',
        };
        const counted = tally(plan, [...deliveries, again], haltedAt);
        expect(counted.duplicated).toBe(1);
        expect(counted.lost).toBe(0);
      }),
    );
  });

  test('a mail begun after the halt was acknowledged is counted; one under way at that moment is only reported', () => {
    const plan: Plan = { customers: [{ id: 'ann', halt: 'opt-out' }], templates: TEMPLATES };
    const welcome = {
      customer: 'ann',
      template: 'wp-welcome',
      commandId: 'cmd-1',
      startedAt: 90,
      acceptedAt: 100,
    };
    const halted = new Map([['ann', 200]]);
    const checkIn = (startedAt: number, acceptedAt: number) => [
      welcome,
      { ...welcome, template: 'wp-checkin', commandId: 'cmd-2', startedAt, acceptedAt },
    ];
    expect(tally(plan, checkIn(190, 199), halted)).toMatchObject({ sentAfterHalt: 0, inFlightAtHalt: 0 });
    expect(tally(plan, checkIn(195, 205), halted)).toMatchObject({ sentAfterHalt: 0, inFlightAtHalt: 1 });
    expect(tally(plan, checkIn(201, 210), halted)).toMatchObject({
      sentAfterHalt: 1,
      inFlightAtHalt: 0,
      latestAfterHaltMs: 1,
      lost: 0,
    });
  });

  test('a template lost is told apart when its send was parked as uncertain', () => {
    const plan: Plan = { customers: [{ id: 'bo' }], templates: TEMPLATES };
    const welcome = {
      customer: 'bo',
      template: 'wp-welcome',
      commandId: 'cmd-1',
      startedAt: 0,
      acceptedAt: 1,
    };
    const counted = tally(plan, [welcome], new Map(), new Set(['bo/wp-checkin']));
    expect(counted).toMatchObject({ lost: 1, lostParked: 1 });
    expect(tally(plan, [welcome], new Map())).toMatchObject({ lost: 1, lostParked: 0 });
  });

  test('a halt never acknowledged, and mail to nobody of the plan, are counted', () => {
    const plan: Plan = { customers: planCustomers(10), templates: TEMPLATES };
    const { deliveries } = faultless(plan, () => false);
    const stray = {
      customer: 'zed',
      template: 'wp-welcome',
      commandId: 'cmd-z',
      startedAt: 4,
      acceptedAt: 5,
    };
    const counted = tally(plan, [...deliveries, stray], new Map());
    expect(counted).toMatchObject({ haltsUnacknowledged: 1, unexpected: 1, lost: 0 });
  });
});

describe('planCustomers', () => {
  test('every tenth person halts, the three ways taking turns', () => {
    const plan = planCustomers(500);
    const halting = plan.filter((c) => c.halt);
    expect(halting).toHaveLength(50);
    expect(new Set(plan.map((c) => c.id)).size).toBe(500);
    expect(halting.slice(0, 3).map((c) => c.halt)).toEqual(['reply-event', 'opt-out', 'reply-mail']);
  });
});
