import { describe, expect, it } from 'vitest';
import { Goal, goalMatches, HoldoutPercent } from './goal';

describe('goal', () => {
  const goal = Goal.parse({ event: 'purchase.completed', where: { orderId: 'o-1' }, within: 'P14D' });

  it('matches an event of its type whose data holds its where', () => {
    expect(goalMatches(goal, { type: 'purchase.completed', data: { orderId: 'o-1', items: [] } })).toBe(true);
    expect(goalMatches(goal, { type: 'purchase.completed', data: { orderId: 'o-2', items: [] } })).toBe(
      false,
    );
    expect(goalMatches(goal, { type: 'email.clicked', data: { orderId: 'o-1' } })).toBe(false);
    const any = Goal.parse({ event: 'email.clicked', within: 'PT12H' });
    expect(goalMatches(any, { type: 'email.clicked', data: {} })).toBe(true);
  });

  it.each([
    [{ event: 'purchase.completed', within: 'P1M' }, 'within: "P1M": months and years have no fixed length'],
    [{ event: 'purchase.completed', within: 'PT0S' }, 'within: "PT0S" is zero; a window must last some time'],
    [{ event: 'purchase.completed' }, 'within: Invalid input'],
    [{ event: 'purchase.done', within: 'P1D' }, 'event: unknown event type "purchase.done"'],
    [{ event: 'purchase.completed', within: 'P1D', after: 'P1D' }, 'unknown field "after"; goal may have'],
  ])('refuses %j', (input, message) => {
    const parsed = Goal.safeParse(input);
    expect(parsed.success).toBe(false);
    const texts = parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(texts.some((text) => text.replace(/^: /, '').startsWith(message))).toBe(true);
  });

  it('takes a holdout from 0 to 100 percent', () => {
    expect(HoldoutPercent.safeParse(10).success).toBe(true);
    expect(HoldoutPercent.safeParse(12.5).success).toBe(true);
    expect(HoldoutPercent.safeParse(101).error?.issues[0]?.message).toBe(
      'holdout is a percent, a number from 0 to 100',
    );
    expect(HoldoutPercent.safeParse(-1).success).toBe(false);
  });
});
