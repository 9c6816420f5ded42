import { z } from 'zod';
import { DURATION_PATTERN } from '@tactful/journeys';
import { Timeline, TimelineOffset } from './timeline';

// The JSON Schema of a timeline file for `tactful journeys simulate`, generated from the zod schema,
// for editors (a `# yaml-language-server: $schema=…/schemas/timeline.json` line).

type JsonObject = Record<string, unknown>;

/** Pure. The JSON Schema of a timeline (CONTRACT.md section 7). */
export function timelineJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(Timeline, {
    target: 'draft-2020-12',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === TimelineOffset) {
        jsonSchema.pattern = DURATION_PATTERN;
        jsonSchema.examples = ['P0D', 'PT30M', 'P1DT2H'];
      }
    },
  }) as JsonObject;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Tactful simulation timeline',
    description:
      'One person’s events on a virtual clock, for `tactful journeys simulate` (CONTRACT.md section 7). ' +
      'Each event’s data is checked against its event type when the file is read.',
    ...rest,
  };
}
