import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import { TactfulError } from '@tactful/events';

// The Lua scripts of the store, one per file under ./lua, read once when a store is created and
// registered with ioredis `defineCommand` (EVALSHA, falling back to EVAL when the server lost its cache).

type ScriptFn = (...keysThenArgs: (string | Buffer)[]) => Promise<unknown>;

export interface StoreScripts {
  /** `lua/commit.lua`: the key count first, as the number of keys varies with the group. */
  commit: ScriptFn;
  /** `lua/remove-timers.lua`: 1 key. */
  removeTimers: ScriptFn;
  /** `lua/cas-delivery.lua`: 3 keys. */
  casDelivery: ScriptFn;
}

const DEFINITIONS = {
  commit: { file: 'commit', command: 'tactfulCommitGroup', numberOfKeys: undefined },
  removeTimers: { file: 'remove-timers', command: 'tactfulRemoveTimers2', numberOfKeys: 1 },
  casDelivery: { file: 'cas-delivery', command: 'tactfulCasDelivery', numberOfKeys: 3 },
} as const;

/** The source of one script. */
export function scriptSource(file: string): string {
  return readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');
}

/** Registers the scripts on a client (idempotent: a second store on one client redefines the same). */
export function defineScripts(redis: Redis | Cluster): StoreScripts {
  const commands = redis as unknown as Record<string, ScriptFn>;
  const bind = (name: keyof typeof DEFINITIONS): ScriptFn => {
    const { file, command, numberOfKeys } = DEFINITIONS[name];
    redis.defineCommand(command, { lua: scriptSource(file), numberOfKeys });
    const fn = commands[command];
    if (fn === undefined) throw new TactfulError('internal', `ioredis did not define ${command}`);
    return fn.bind(redis);
  };
  return { commit: bind('commit'), removeTimers: bind('removeTimers'), casDelivery: bind('casDelivery') };
}
