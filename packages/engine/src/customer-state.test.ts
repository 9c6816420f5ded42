import { describe, expect, it } from 'vitest';
import { CustomerState } from './customer-state';
import { step } from './step';
import {
  CUSTOMER,
  DAY,
  T0,
  Timeline,
  WHITEPAPER_FORM,
  catalogOf,
  schedulesOf,
  templatesOfSends,
  whitepaper,
} from './test-kit';
import { timerFiredEvent } from './timer-fired';

const SNAPSHOT_FIELDS = { historyValue: {}, context: {}, children: {} };

/**
 * A customer in the contract example as states were stored before stages: XState's whole persisted
 * snapshot in every active journey.
 */
function storedWithSnapshot(timerId: string): unknown {
  return JSON.parse(
    JSON.stringify({
      customerId: CUSTOMER,
      profile: { email: 'ann@example.com', name: 'Ann', fields: { topic: 'pricing' } },
      contact: {
        sends: [
          { at: T0.toISOString(), journey: 'whitepaper-nurture', template: 'wp-welcome', channel: 'email' },
        ],
      },
      templatesSent: ['wp-welcome'],
      active: {
        'whitepaper-nurture': {
          journey: 'whitepaper-nurture',
          version: 3,
          entry: 1,
          enteredAt: T0.toISOString(),
          snapshot: { status: 'active', value: 'welcome', ...SNAPSHOT_FIELDS },
          timers: { 'xstate.after.P3D.whitepaper-nurture.welcome': timerId },
          trigger: { eventId: 'evt-1', type: 'form.submitted', data: WHITEPAPER_FORM },
        },
      },
      seq: 2,
    }),
  );
}

describe('a state stored with XState snapshots', () => {
  const catalog = catalogOf(whitepaper());
  const today = new Timeline(catalog);
  const entered = today.apply('form.submitted', WHITEPAPER_FORM, 'evt-1');
  const wait = schedulesOf(entered.effects)[0];
  if (wait === undefined) throw new Error('entering the example starts a wait');

  it('is read as the stage of its snapshot, without the snapshot', () => {
    const read = CustomerState.parse(storedWithSnapshot(wait.id));
    expect(read.active['whitepaper-nurture']?.stage).toBe('welcome');
    expect(read.active['whitepaper-nurture']).not.toHaveProperty('snapshot');
    expect(read).toEqual(today.state);
  });

  it('reads a nested value as the path to its deepest state', () => {
    const stored = storedWithSnapshot(wait.id) as { active: Record<string, { snapshot: object }> };
    const instance = stored.active['whitepaper-nurture'];
    if (instance) instance.snapshot = { status: 'active', value: { onboarding: { tips: 'a' } } };
    expect(CustomerState.parse(stored).active['whitepaper-nurture']?.stage).toBe('onboarding.tips.a');
  });

  it('steps like the state written now: its wait fires, then an opened email changes nothing more', () => {
    const old = CustomerState.parse(storedWithSnapshot(wait.id));
    const now = new Date(T0.getTime() + 3 * DAY);
    const fired = timerFiredEvent(wait, now);
    const ctx = { catalog, policy: today.ctx.policy };
    const result = step(old, fired, now, ctx);
    expect(result).toEqual(step(today.state, fired, now, ctx));
    expect(templatesOfSends(result.effects)).toEqual(['wp-checkin']);
    expect(result.state.active['whitepaper-nurture']?.stage).toBe('checkIn');
  });

  it('refuses a snapshot that holds no state of a journey, with the reason', () => {
    const stored = storedWithSnapshot(wait.id) as { active: Record<string, { snapshot: object }> };
    const instance = stored.active['whitepaper-nurture'];
    if (instance) instance.snapshot = { status: 'active', value: { a: 'x', b: 'y' } };
    expect(() => CustomerState.parse(stored)).toThrow(/not the state value of a journey/);
  });
});
