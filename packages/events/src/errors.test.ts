import { describe, expect, it } from 'vitest';
import { TactfulError } from './errors';

describe('TactfulError constructors', () => {
  it('retriable: the code, the message, retriable true and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const err = TactfulError.retriable('redis.unavailable', 'loading: ECONNREFUSED', cause);
    expect(err).toBeInstanceOf(TactfulError);
    expect(err).toMatchObject({
      code: 'redis.unavailable',
      message: 'loading: ECONNREFUSED',
      retriable: true,
    });
    expect(err.cause).toBe(cause);
  });

  it('permanent: retriable false, and no cause when none is given', () => {
    const err = TactfulError.permanent('internal', 'Redis refused the call');
    expect(err).toMatchObject({ code: 'internal', retriable: false, name: 'TactfulError' });
    expect('cause' in err).toBe(false);
  });

  it('each is the constructor with the options it names', () => {
    const cause = new Error('x');
    expect(TactfulError.retriable('kafka.unavailable', 'm', cause)).toEqual(
      new TactfulError('kafka.unavailable', 'm', { retriable: true, cause }),
    );
    expect(TactfulError.permanent('smtp.permanent', 'm', cause)).toEqual(
      new TactfulError('smtp.permanent', 'm', { cause }),
    );
  });
});
