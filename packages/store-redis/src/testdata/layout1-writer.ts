// Writes a namespace the way the store of key layout 1 did, with that version's own commit script
// (`layout1-commit.lua`, kept byte for byte), so `tactful store migrate` is tested on real layout 1 data.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { shardOf } from '../shard';

const SCRIPT = readFileSync(new URL('./layout1-commit.lua', import.meta.url), 'utf8');

export interface Layout1Commit {
  customerId: string;
  expectedVersion: number;
  eventId: string;
  state: unknown;
  ledgerAdd?: string[];
  timersAdd?: {
    id: string;
    customerId: string;
    journey: string;
    journeyVersion: number;
    dueAt: number;
    payload?: unknown;
  }[];
  /** Layout 1 outbox entries, as the orchestrator of that version wrote them. */
  outbox?: { id: string; topic: 'commands' | 'audit'; value: unknown }[];
  audit?: unknown[];
}

function encode(id: string): string {
  return id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** One commit of layout 1: the keys and arguments of its `commitCall`, run with its script. */
export async function commitLayout1(
  redis: Redis,
  namespace: string,
  shards: number,
  c: Layout1Commit,
): Promise<unknown> {
  const shard = shardOf(c.customerId, shards);
  const base = `${namespace}:{s${shard}}:c:${encode(c.customerId)}`;
  const keys = ['state', 'events', 'ledger', 'outbox', 'outbox-order', 'audit', 'timers', 'halts'].map(
    (k) => `${base}:${k}`,
  );
  keys.push(
    `${namespace}:{s${shard}}:timers`,
    `${namespace}:{s${shard}}:outbox-pending`,
    `${namespace}:{s${shard}}:counters`,
  );
  const member = (timerId: string) => JSON.stringify([c.customerId, timerId]);
  const args = [
    c.customerId,
    String(c.expectedVersion),
    c.eventId,
    JSON.stringify(c.state),
    '10000',
    '500',
    '',
  ];
  const ledger = c.ledgerAdd ?? [];
  args.push(String(ledger.length), ...ledger, '0');
  const timers = c.timersAdd ?? [];
  args.push(String(timers.length));
  for (const t of timers) args.push(t.id, member(t.id), String(t.dueAt), JSON.stringify(t));
  const outbox = c.outbox ?? [];
  args.push(String(outbox.length));
  for (const entry of outbox) args.push(entry.id, JSON.stringify(entry));
  const audit = c.audit ?? [];
  args.push(String(audit.length), ...audit.map((a) => JSON.stringify(a)), '0');
  return redis.eval(SCRIPT, keys.length, ...keys, ...args);
}

/** The layout record layout 1 wrote on a namespace's first use. */
export async function markLayout1(redis: Redis, namespace: string, shards: number): Promise<void> {
  await redis.set(`${namespace}:layout`, JSON.stringify({ layout: 1, shards }));
}
