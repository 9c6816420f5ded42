import { hash } from 'node:crypto';
import type { CommandId } from './command';

/** What identifies a decision to send: the same inputs always name the same command. */
export interface CommandIdInput {
  readonly customerId: string;
  readonly journey: string;
  readonly journeyVersion: number;
  readonly stage: string;
  readonly template: string;
  /** The id of the event that caused the decision. */
  readonly causationId: string;
}

// Bumped only if the derivation changes, so ids of the old scheme can never collide with the new.
const SCHEME = 'tactful.command.v1';

// 128 bits of SHA-256: collisions are out of reach for any number of sends, and the id stays short
// enough for a mail header and a Redis key.
const HEX_LENGTH = 32;

/**
 * Pure. The id of the command that a decision produces: `cmd-` and 32 hex digits of SHA-256 over the
 * inputs. Re-deciding after a crash yields the same id, which is how the dispatcher and integrators
 * deliver each command at most once. The inputs are hashed as a JSON array, so no two different inputs
 * encode to the same bytes (`("a:b", "c")` and `("a", "b:c")` stay apart).
 */
export function commandIdFor(input: CommandIdInput): CommandId {
  const encoded = JSON.stringify([
    SCHEME,
    input.customerId,
    input.journey,
    input.journeyVersion,
    input.stage,
    input.template,
    input.causationId,
  ]);
  // the one-shot hash: a third of createHash's cost for an input this short, on every send decided
  const digest = hash('sha256', encoded, 'hex');
  return `cmd-${digest.slice(0, HEX_LENGTH)}`;
}
