import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentPoint, inHoldout, inSplit } from './assignment';
import { guardHolds } from './guard-holds';

// Shares are checked against binomial bounds of ±5 standard deviations: a correct assignment falls
// outside them with probability below 6e-7, so these tests do not fail by chance.
const within5Sigma = (hits: number, n: number, p: number): void => {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(hits - n * p)).toBeLessThanOrEqual(5 * sigma);
};

const ids = (n: number, prefix = 'cust-'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('split and holdout assignment', () => {
  it('is a point in [0, 1) that depends on every part and on their boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), (parts) => {
        const point = assignmentPoint(parts);
        expect(point).toBeGreaterThanOrEqual(0);
        expect(point).toBeLessThan(1);
        expect(assignmentPoint([...parts])).toBe(point);
      }),
    );
    expect(assignmentPoint(['a:b', 'c'])).not.toBe(assignmentPoint(['a', 'b:c']));
  });

  it('puts the same person on the same side every time, whatever else was asked before', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        (journey, customer, percent, salt) => {
          const first = inSplit({ percent, salt }, journey, customer);
          inSplit({ percent: 50 }, 'other', customer);
          expect(inSplit({ percent, salt }, journey, customer)).toBe(first);
          expect(inHoldout(percent, journey, customer)).toBe(inHoldout(percent, journey, customer));
        },
      ),
    );
  });

  it('0 % takes nobody and 100 % everybody', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (journey, customer) => {
        expect(inSplit({ percent: 0 }, journey, customer)).toBe(false);
        expect(inSplit({ percent: 100 }, journey, customer)).toBe(true);
        expect(inHoldout(0, journey, customer)).toBe(false);
        expect(inHoldout(100, journey, customer)).toBe(true);
      }),
    );
  });

  it('with one salt, the people of a smaller percent are among those of a larger one', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (customer, a, b) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          if (inSplit({ percent: low, salt: 's' }, 'j', customer))
            expect(inSplit({ percent: high, salt: 's' }, 'j', customer)).toBe(true);
        },
      ),
    );
  });

  it.each([
    [50, 20_000],
    [10, 20_000],
    [33.3, 20_000],
  ])('a %s %% split takes that share of %s customers, within binomial bounds', (percent, n) => {
    const taken = ids(n).filter((id) => inSplit({ percent }, 'newsletter', id)).length;
    within5Sigma(taken, n, percent / 100);
  });

  it('a 10 % holdout holds out that share, within binomial bounds, in every journey', () => {
    for (const journey of ['newsletter', 'trip-planning', 'whitepaper-nurture']) {
      const held = ids(20_000).filter((id) => inHoldout(10, journey, id)).length;
      within5Sigma(held, 20_000, 0.1);
    }
  });

  it('the holdout is independent of a split of the same journey, and a salt draws afresh', () => {
    const people = ids(20_000);
    const heldAndSplit = people.filter(
      (id) => inHoldout(20, 'j', id) && inSplit({ percent: 20 }, 'j', id),
    ).length;
    within5Sigma(heldAndSplit, people.length, 0.04);
    const bothSalts = people.filter(
      (id) => inSplit({ percent: 50 }, 'j', id) && inSplit({ percent: 50, salt: 'b' }, 'j', id),
    ).length;
    within5Sigma(bothSalts, people.length, 0.25);
  });

  it('the split guard holds as the assignment says, by the journey and the customer', () => {
    const guard = { type: 'split', params: { percent: 40, salt: 'x' } } as const;
    for (const id of ids(200)) {
      const input = { journeyId: 'j', customerId: id, event: { type: 'email.opened' } };
      expect(guardHolds(guard, input)).toBe(inSplit(guard.params, 'j', id));
    }
  });
});
