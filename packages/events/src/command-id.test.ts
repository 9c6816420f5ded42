import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandId } from './command';
import type { CommandIdInput } from './command-id';
import { commandIdFor } from './command-id';

const decision: CommandIdInput = {
  customerId: 'cust-42',
  journey: 'whitepaper-nurture',
  journeyVersion: 3,
  stage: 'checkIn',
  template: 'wp-checkin',
  causationId: 'evt-7f3a',
};

const inputArb = fc.record({
  customerId: fc.string({ minLength: 1 }),
  journey: fc.string({ minLength: 1 }),
  journeyVersion: fc.integer({ min: 1, max: 10_000 }),
  stage: fc.string({ minLength: 1 }),
  template: fc.string({ minLength: 1 }),
  causationId: fc.string({ minLength: 1 }),
});

describe('commandIdFor', () => {
  // A changed value here means every in-flight command would get a new id after a deploy, and be
  // delivered a second time: the derivation must only change together with its scheme tag.
  it('is stable across releases', () => {
    expect(commandIdFor(decision)).toBe('cmd-948fd817584b1ec3aa45da01f945e007');
  });

  it('is deterministic and a valid CommandId', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const id = commandIdFor(input);
        expect(commandIdFor({ ...input })).toBe(id);
        expect(id).toMatch(/^cmd-[0-9a-f]{32}$/);
        expect(CommandId.safeParse(id).success).toBe(true);
      }),
    );
  });

  it('changes when any part of the decision changes', () => {
    const field = fc.constantFrom('customerId', 'journey', 'stage', 'template', 'causationId' as const);
    fc.assert(
      fc.property(inputArb, field, fc.string({ minLength: 1 }), (input, name, other) => {
        fc.pre(input[name] !== other);
        expect(commandIdFor({ ...input, [name]: other })).not.toBe(commandIdFor(input));
      }),
    );
    expect(commandIdFor({ ...decision, journeyVersion: 4 })).not.toBe(commandIdFor(decision));
  });

  it('keeps apart inputs that would run together if concatenated', () => {
    const a = commandIdFor({ ...decision, journey: 'a:b', stage: 'c' });
    const b = commandIdFor({ ...decision, journey: 'a', stage: 'b:c' });
    expect(a).not.toBe(b);
  });
});
