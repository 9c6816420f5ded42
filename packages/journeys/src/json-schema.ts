import { z } from 'zod';
import { ISO_DURATION_PATTERN, PUBLIC_EVENT_TYPES } from '@tactful/events';
import { ActionConfig, ActionList } from './action-config';
import { GoalWindow } from './goal';
import { Journey, Reentry } from './journey';
import { AfterConfig, OnConfig, TransitionConfig, Transitions } from './machine-config';

// The JSON Schema of a journey file, generated from the zod schemas, for editors: with a
// `# yaml-language-server: $schema=../schemas/journey.json` line, YAML editors complete field names,
// event types, actions and guards, and underline what the loader would refuse. The loader stays the
// judge: the graph checks (unreachable states, a template sent twice) cannot be said in JSON Schema.

type JsonObject = Record<string, unknown>;

/** An ISO 8601 duration of fixed length, as `parseIsoDuration` reads it (`ISO_DURATION_PATTERN`). */
export const DURATION_PATTERN = ISO_DURATION_PATTERN;

const plain = (schema: z.ZodType): JsonObject => {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return rest;
};

function replace(target: JsonObject, value: JsonObject): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, value);
}

/** Pure. The JSON Schema of a journey file (CONTRACT.md section 5). */
export function journeyJsonSchema(): JsonObject {
  const transition = plain(TransitionConfig);
  const action = plain(ActionConfig);
  const generated = z.toJSONSchema(Journey, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    // the shorthands that zod reads with a preprocess (one item or a list, a bare target) and the keys
    // that zod checks with a refinement are written out by hand
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === Transitions)
        replace(jsonSchema, {
          description: 'A target state, a { target, guard }, or a list of them tried in order.',
          anyOf: [
            { type: 'string', minLength: 1 },
            transition,
            { type: 'array', minItems: 1, items: { anyOf: [{ type: 'string', minLength: 1 }, transition] } },
          ],
        });
      else if (zodSchema === ActionList)
        replace(jsonSchema, { anyOf: [action, { type: 'array', items: action }] });
      else if (zodSchema === OnConfig)
        jsonSchema.propertyNames = { type: 'string', enum: [...PUBLIC_EVENT_TYPES] };
      else if (zodSchema === AfterConfig)
        jsonSchema.propertyNames = {
          type: 'string',
          anyOf: [{ pattern: DURATION_PATTERN }, { pattern: '^[1-9]\\d*$' }],
        };
      else if (zodSchema === GoalWindow) jsonSchema.pattern = DURATION_PATTERN;
      else if (zodSchema === Reentry)
        replace(jsonSchema, {
          description: 'never, always, or an ISO 8601 duration to wait after leaving (P90D).',
          anyOf: [
            { type: 'string', enum: ['never', 'always'] },
            { type: 'string', pattern: DURATION_PATTERN },
          ],
        });
    },
  }) as JsonObject;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Tactful journey file',
    description:
      'A journey written by marketing (CONTRACT.md section 5). `tactful journeys validate` runs every ' +
      'check of the services, including those JSON Schema cannot say (unreachable states, a template ' +
      'that could be sent twice).',
    ...rest,
  };
}
