import { TactfulError } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { effectsOf } from './journey-effects';

describe('effectsOf', () => {
  it('reads sends, waits and cancellations in order, skipping raises already handled', () => {
    expect(
      effectsOf([
        { type: 'xstate.cancel', params: { sendId: 'xstate.after.P3D.j.a' } },
        { type: 'send', params: { template: 't', channel: 'email', stage: 'b' } },
        {
          type: 'xstate.raise',
          params: { event: { type: 'xstate.after.P1D.j.b' }, id: 'xstate.after.P1D.j.b', delay: 1 },
        },
        { type: 'xstate.raise', params: { event: { type: 'internal' }, id: 'internal' } },
      ]),
    ).toEqual([
      { type: 'cancel', id: 'xstate.after.P3D.j.a' },
      { type: 'send', template: 't', channel: 'email', stage: 'b' },
      { type: 'schedule', id: 'xstate.after.P1D.j.b', delay: 1, event: { type: 'xstate.after.P1D.j.b' } },
    ]);
  });

  it('fails loudly on an action a journey cannot produce', () => {
    expect(() => effectsOf([{ type: 'xstate.spawnChild', params: {} }])).toThrow(TactfulError);
    expect(() => effectsOf([{ type: 'send', params: { template: 't' } }])).toThrow(
      /unexpected journey action send/,
    );
  });
});
