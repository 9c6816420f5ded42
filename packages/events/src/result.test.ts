import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from './result';

function describeResult(result: Result<number, string[]>): string {
  return result.ok ? `value ${result.value}` : `problems ${result.error.join(', ')}`;
}

describe('Result', () => {
  it('ok carries the value and narrows to it', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const result = ok(n);
        expect(result).toEqual({ ok: true, value: n });
        expect(describeResult(result)).toBe(`value ${n}`);
      }),
    );
  });

  it('err carries the problems and narrows to them', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (problems) => {
        const result = err(problems);
        expect(result).toEqual({ ok: false, error: problems });
        expect(describeResult(result)).toBe(`problems ${problems.join(', ')}`);
      }),
    );
  });
});
