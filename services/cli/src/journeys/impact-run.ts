import { randomBytes } from 'node:crypto';
import { createImpactReplay, type ImpactSummary } from '@tactful/engine';
import { parseEvent, topicsFor } from '@tactful/events';
import { readHistory, type Kafka } from '@tactful/kafka';
import { loadAuthoringContext, type AuthoringContext } from './authoring-context';

export interface ImpactOptions {
  readonly kafka: Kafka;
  readonly namespace: string;
  /** The candidate journey file. */
  readonly file: string;
  readonly policyFile: string;
  /** The journeys it would run beside (TACTFUL_JOURNEYS); absent, it is replayed alone. */
  readonly journeysDir?: string;
  /** Epoch ms: the start of the period; absent, the oldest event retained. */
  readonly since?: number;
  readonly now: () => number;
  readonly onProgress?: (read: number, total: number) => void;
}

export interface ImpactResult {
  readonly context: AuthoringContext;
  readonly summary: ImpactSummary;
  /** The history read: messages of `N.events` in the period, and those that are not valid events. */
  readonly read: number;
  readonly invalid: number;
  /** Where the replay's clock stopped: when the command began reading. */
  readonly until: number;
}

/**
 * A dry run of a journey file over the namespace's real history: reads `N.events` from `since` to its
 * current end (in a consumer group of its own that commits nothing), replays each customer's events in
 * order through the engine with the candidate in the catalog, and counts the candidate's decisions.
 * Nothing is written anywhere.
 */
export async function runImpact(options: ImpactOptions): Promise<ImpactResult> {
  const context = await loadAuthoringContext(options);
  const replay = createImpactReplay(context.ctx, context.candidate.journey.id);
  const until = options.now();
  let read = 0;
  let invalid = 0;
  await readHistory({
    kafka: options.kafka,
    topic: topicsFor(options.namespace).events,
    groupId: `${options.namespace}.impact.${randomBytes(6).toString('hex')}`,
    ...(options.since === undefined ? {} : { since: options.since }),
    onBatch: (messages) => {
      for (const message of messages) {
        read += 1;
        // the orchestrator dead-letters what it cannot read; the replay skips it the same way
        const parsed = parseEvent(message.value, message.key, { allowInternal: true });
        if (parsed.ok) replay.apply(parsed.event, Number(message.timestamp));
        else invalid += 1;
      }
    },
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return { context, summary: replay.finish(until), read, invalid, until };
}
