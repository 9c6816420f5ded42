import { journeyJsonSchema } from '@tactful/journeys';
import { policyJsonSchema } from '@tactful/policy';
import { timelineJsonSchema } from './json-schema';

/** One generated file, relative to the repository's `schemas/` folder. */
export interface SchemaFile {
  readonly path: string;
  readonly content: string;
}

const render = (schema: object): string => `${JSON.stringify(schema, null, 2)}\n`;

/** Pure. The JSON Schemas of the files people write: journeys, the contact policy, timelines. */
export function authoringSchemaFiles(): SchemaFile[] {
  return [
    { path: 'journey.json', content: render(journeyJsonSchema()) },
    { path: 'policy.json', content: render(policyJsonSchema()) },
    { path: 'timeline.json', content: render(timelineJsonSchema()) },
  ];
}
