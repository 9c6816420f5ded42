import fs from 'node:fs/promises';
import {
  parseTimelineText,
  simulateTimeline,
  Timeline,
  TimelineProfile,
  type TimelineRun,
} from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import type { z } from 'zod';
import { loadAuthoringContext, type AuthoringContext } from './authoring-context';

export interface SimulateOptions {
  readonly file: string;
  readonly timelineFile: string;
  /** A profile file that replaces the timeline's `profile`. */
  readonly profileFile?: string;
  readonly policyFile: string;
  /** Other journeys to run beside the file's (TACTFUL_JOURNEYS). */
  readonly journeysDir?: string;
  /** Where the clock starts when the timeline says nothing (epoch ms). */
  readonly start: number;
}

export interface Simulation {
  readonly context: AuthoringContext;
  readonly timeline: Timeline;
  readonly run: TimelineRun;
}

/** Reads the journey, the policy, the timeline and the profile, and plays the timeline on a virtual clock. */
export async function simulateFile(options: SimulateOptions): Promise<Simulation> {
  const context = await loadAuthoringContext(options);
  const timeline = await readChecked(Timeline, options.timelineFile);
  const profile =
    options.profileFile === undefined ? undefined : await readChecked(TimelineProfile, options.profileFile);
  const played: Timeline = profile === undefined ? timeline : { ...timeline, profile };
  const start = timeline.start === undefined ? options.start : Date.parse(timeline.start);
  return { context, timeline: played, run: simulateTimeline(played, context.ctx, start) };
}

async function readChecked<S extends z.ZodType>(schema: S, file: string): Promise<z.infer<S>> {
  const parsed = parseTimelineText(schema, await fs.readFile(file, 'utf8'), file);
  if (!parsed.ok)
    throw new TactfulError(
      'event.invalid',
      `${file} is refused (${parsed.problems.length} problem(s)):\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return parsed.value;
}
