import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { loadConfig } from '@tactful/observability';
import { prepareAll } from './prepare-all';
import { ServiceConfig } from './service-config';
import type { ServiceEntry } from './starter';

const config = loadConfig(ServiceConfig, {});
const ok: ServiceEntry = { prepare: async () => ({ start: async () => ({ close: async () => undefined }) }) };
const refusing = (message: string, code: 'config.invalid' | 'journey.invalid' = 'config.invalid') => ({
  prepare: async () => {
    throw new TactfulError(code, message);
  },
});

describe('prepareAll', () => {
  it('resolves with every prepared service when none refuses', async () => {
    expect(await prepareAll([ok, ok], config)).toHaveLength(2);
  });

  it('throws a single refusal as it is', async () => {
    await expect(prepareAll([ok, refusing('bad journey', 'journey.invalid')], config)).rejects.toMatchObject({
      code: 'journey.invalid',
      message: 'bad journey',
    });
  });

  it('lists the problems of every refusing service, not only the first to answer', async () => {
    const slow: ServiceEntry = {
      prepare: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        throw new TactfulError('config.invalid', 'refusing to start the dispatcher: A');
      },
    };
    const error = await prepareAll([slow, refusing('refusing to start the gateway: B')], config).catch(
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'config.invalid' });
    expect((error as Error).message).toBe(
      'refusing to start the dispatcher: A\nrefusing to start the gateway: B',
    );
  });

  it('reports a failure that is not a refusal as itself', async () => {
    const broken: ServiceEntry = {
      prepare: async () => {
        throw new Error('disk gone');
      },
    };
    await expect(prepareAll([refusing('A'), broken], config)).rejects.toThrow('disk gone');
  });
});
