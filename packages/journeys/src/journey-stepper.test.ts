import { TactfulError } from '@tactful/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stageOfValue, valueOfStage } from './journey-stepper';

describe('stages and XState state values', () => {
  it.each([
    ['welcome', 'welcome'],
    [{ onboarding: 'tips' }, 'onboarding.tips'],
    [{ a: { b: { c: 'd' } } }, 'a.b.c.d'],
  ])('%j is the stage %s, and back', (value, stage) => {
    expect(stageOfValue(value)).toBe(stage);
    expect(valueOfStage(stage)).toEqual(value);
  });

  it('round-trips every path of state names', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (names) => {
        const stage = names.join('.');
        expect(stageOfValue(valueOfStage(stage))).toBe(stage);
      }),
    );
  });

  it.each([[{ a: 'x', b: 'y' }], [{}], [null], [3]])('refuses %j, which no journey can be in', (value) => {
    expect(() => stageOfValue(value)).toThrow(TactfulError);
  });
});
