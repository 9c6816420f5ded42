import fs from 'node:fs/promises';
import {
  buildCatalog,
  parseTimelineText,
  simulateTimeline,
  Timeline,
  TimelineProfile,
  type TimelineRun,
} from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import { formatProblem, loadJourneyFile, loadJourneys, type LoadedJourney } from '@tactful/journeys';
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
  /**
   * When the file is deployed, in ms from the start of the clock: until then the person lives on an
   * earlier version of its id (`previousFile`, else the version its `migrate` names, else the highest
   * earlier one in `previousDir`); from then on both are loaded, as in a real deploy, so the file's
   * `migrate` moves the person at their next event or timer.
   */
  readonly deployAt?: number;
  readonly previousFile?: string;
  /** Where to look for the earlier version (TACTFUL_JOURNEYS). */
  readonly previousDir?: string;
}

export interface Simulation {
  readonly context: AuthoringContext;
  readonly timeline: Timeline;
  readonly run: TimelineRun;
  /** With `deployAt`: the version the person lived on before. */
  readonly previous?: LoadedJourney;
}

/** Reads the journey, the policy, the timeline and the profile, and plays the timeline on a virtual clock. */
export async function simulateFile(options: SimulateOptions): Promise<Simulation> {
  const context = await loadAuthoringContext(options);
  const timeline = await readChecked(Timeline, options.timelineFile);
  const profile =
    options.profileFile === undefined ? undefined : await readChecked(TimelineProfile, options.profileFile);
  const played: Timeline = profile === undefined ? timeline : { ...timeline, profile };
  const start = timeline.start === undefined ? options.start : Date.parse(timeline.start);
  if (options.deployAt === undefined)
    return { context, timeline: played, run: simulateTimeline(played, context.ctx, start) };
  const previous = await previousVersion(context, options);
  const candidate = context.candidate;
  const others = [...context.ctx.catalog.versions.values()]
    .filter((entry) => entry.journey.id !== candidate.journey.id)
    .map(({ journey, machine }) => ({ journey, machine }));
  const before = { ...context.ctx, catalog: buildCatalog([previous, ...others]) };
  const after = { ...context.ctx, catalog: buildCatalog([previous, candidate, ...others]) };
  const run = simulateTimeline(played, before, start, { at: start + options.deployAt, ctx: after });
  return { context, timeline: played, run, previous };
}

/** The version the person is on before the deploy, as `SimulateOptions.deployAt` says. */
async function previousVersion(context: AuthoringContext, options: SimulateOptions): Promise<LoadedJourney> {
  const { journey } = context.candidate;
  const refuse = (why: string) =>
    new TactfulError('journey.invalid', `cannot simulate the deploy of ${options.file}: ${why}`);
  if (options.previousFile !== undefined) {
    const parsed = await loadJourneyFile(options.previousFile);
    if (parsed.journey === undefined || parsed.machine === undefined || parsed.compiled === undefined)
      throw refuse(
        `${options.previousFile} is refused:\n${parsed.problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
      );
    if (parsed.journey.id !== journey.id || parsed.journey.version >= journey.version)
      throw refuse(
        `${options.previousFile} is not an earlier version of ${journey.id} (it is ${parsed.journey.id} v${parsed.journey.version})`,
      );
    return {
      file: options.previousFile,
      journey: parsed.journey,
      machine: parsed.machine,
      compiled: parsed.compiled,
    };
  }
  const dir = options.previousDir ?? options.journeysDir;
  const loaded = dir === undefined ? [] : (await loadJourneys(dir)).journeys;
  const earlier = loaded
    .filter((j) => j.journey.id === journey.id && j.journey.version < journey.version)
    .filter((j) => journey.migrate === undefined || j.journey.version === journey.migrate.from)
    .sort((a, b) => b.journey.version - a.journey.version)[0];
  if (earlier === undefined)
    throw refuse(
      `no earlier version of ${journey.id}${journey.migrate === undefined ? '' : ` (version ${journey.migrate.from}, which its migrate names)`} in ${dir ?? 'TACTFUL_JOURNEYS'}; name one with --previous FILE`,
    );
  return earlier;
}

async function readChecked<S extends z.ZodType>(schema: S, file: string): Promise<z.infer<S>> {
  const parsed = parseTimelineText(schema, await fs.readFile(file, 'utf8'), file);
  if (!parsed.ok)
    throw new TactfulError(
      'event.invalid',
      `${file} is refused (${parsed.error.length} problem(s)):\n${parsed.error.map((p) => `  - ${p}`).join('\n')}`,
    );
  return parsed.value;
}
