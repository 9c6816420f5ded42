import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appliedBefore, emptyAppliedLog, EVENT_HASH_BYTES, withApplied } from './applied-log';

describe('the applied log', () => {
  it('recognises, for every history, each offset at or before the newest and each of the last ids', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        (ids, window) => {
          let log = emptyAppliedLog();
          ids.forEach(
            (id, offset) => (log = withApplied(log, id, { partition: 0, offset: String(offset) }, window)),
          );
          // bounded whatever the history: the log never grows past its window
          expect(log.recent.length).toBe(Math.min(ids.length, window) * EVENT_HASH_BYTES);
          // a redelivery at any old offset, whatever its id: applied
          ids.forEach((id, offset) =>
            expect(appliedBefore(log, `x-${id}`, { partition: 0, offset: String(offset) })).toBe('offset'),
          );
          // the same event written again at a new offset: applied while in the window
          ids.forEach((id, i) =>
            expect(appliedBefore(log, id, { partition: 0, offset: String(ids.length + i) })).toBe(
              i >= ids.length - window ? 'recent' : false,
            ),
          );
          // another partition's offsets are not this one's
          expect(appliedBefore(log, 'never-seen', { partition: 1, offset: '0' })).toBe(false);
        },
      ),
    );
  });

  it('never moves an offset back', () => {
    let log = withApplied(emptyAppliedLog(), 'a', { partition: 3, offset: '10' }, 4);
    log = withApplied(log, 'b', { partition: 3, offset: '4' }, 4);
    expect(log.offsets.get(3)).toBe(10);
  });
});
