import { ISO_DURATION_PATTERN } from '@tactful/events';
import { z } from 'zod';
import { IsoDuration, TimeZoneName } from './field-schemas';
import { Policy } from './policy';

// The JSON Schema of the policy file, generated from the zod schema, for editors (a
// `# yaml-language-server: $schema=./schemas/policy.json` line). The parser stays the judge: whether a
// time zone is known to the runtime cannot be said in JSON Schema.

type JsonObject = Record<string, unknown>;

/** Pure. The JSON Schema of the contact policy file (CONTRACT.md section 5). */
export function policyJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(Policy, {
    target: 'draft-2020-12',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === IsoDuration) {
        jsonSchema.pattern = ISO_DURATION_PATTERN;
        jsonSchema.examples = ['PT12H', 'P1D'];
      } else if (zodSchema === TimeZoneName)
        jsonSchema.examples = ['UTC', 'Europe/Berlin', 'America/New_York'];
    },
  }) as JsonObject;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Tactful contact policy',
    description:
      'One contact budget per person across every journey (CONTRACT.md section 5). Every field may be ' +
      'left out; the defaults are in packages/policy/README.md.',
    ...rest,
  };
}
