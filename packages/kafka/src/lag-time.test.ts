import { describe, expect, it } from 'vitest';
import { advanceLagClock, lagTimeOf, type LagClock } from './lag-time';

/** Runs the clock over samples taken one second apart and gives the lag time after each. */
function run(samples: { committed: number | null; lag: number | null }[]) {
  let clock: LagClock | undefined;
  return samples.map((s, i) => {
    const at = 10_000 + i * 1000;
    clock = advanceLagClock(clock, s, at);
    return lagTimeOf(clock, s, at);
  });
}

describe('lag time', () => {
  it('is zero while caught up', () => {
    expect(
      run([
        { committed: 5, lag: 0 },
        { committed: 7, lag: 0 },
      ]),
    ).toEqual([
      { ms: 0, atLeast: false },
      { ms: 0, atLeast: false },
    ]);
  });

  it('counts from the first sample, as a lower bound, when the partition is behind from the start', () => {
    expect(
      run([
        { committed: 5, lag: 3 },
        { committed: 5, lag: 3 },
        { committed: 5, lag: 4 },
      ]),
    ).toEqual([
      { ms: 0, atLeast: true },
      { ms: 1000, atLeast: true },
      { ms: 2000, atLeast: true },
    ]);
  });

  it('restarts when the committed offset moves, and is then exact to one interval', () => {
    expect(
      run([
        { committed: 5, lag: 3 },
        { committed: 6, lag: 9 },
        { committed: 6, lag: 9 },
        { committed: 6, lag: 12 },
      ]),
    ).toEqual([
      { ms: 0, atLeast: true },
      { ms: 0, atLeast: false },
      { ms: 1000, atLeast: false },
      { ms: 2000, atLeast: false },
    ]);
  });

  it('counts from the last sample that saw the partition caught up', () => {
    expect(
      run([
        { committed: 5, lag: 0 },
        { committed: 5, lag: 2 },
        { committed: 5, lag: 4 },
      ]),
    ).toEqual([
      { ms: 0, atLeast: false },
      { ms: 1000, atLeast: false },
      { ms: 2000, atLeast: false },
    ]);
  });

  it('is unknown without a committed offset', () => {
    expect(run([{ committed: null, lag: null }])).toEqual([null]);
  });
});
