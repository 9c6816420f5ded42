import { z } from 'zod';
import { AuditRecord } from './audit-record';
import { Command } from './command';
import { EXTENSIONS_JSON_SCHEMA } from './envelope';
import { EVENT_TYPES, isInternalEventType } from './event-types';
import { EXAMPLE_EVENTS } from './examples';
import { EVENT_SCHEMAS } from './tactful-event';

// The zod schemas are the source of truth; the files under schemas/ are generated from them so that
// publishers and consumers in other languages validate exactly what Tactful does. A few rules cannot be
// said in JSON Schema and are checked only by this package: the Kafka key equals `subject`, time zone
// names are known to the IANA database, ids are well-formed Unicode, and no member is named `__proto__`.

/**
 * The base of every schema's `$id`: an identifier (JSON Schema 2020-12), not necessarily a download
 * location. The same files ship in the package as `@tactful/events/schemas/<path>`.
 */
export const JSON_SCHEMA_ID_BASE = 'https://tactful.dev/schemas/';

/** One generated file, relative to the repository's `schemas/` folder. */
export interface JsonSchemaFile {
  readonly path: string;
  readonly content: string;
}

type JsonObject = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): JsonObject {
  // `input`: what a producer must send. No schema here transforms, so input and output agree anyway.
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonObject;
}

function eventFile(type: (typeof EVENT_TYPES)[number]): JsonSchemaFile {
  const generated = toJsonSchema(EVENT_SCHEMAS[type]);
  const { $schema, title, ...rest } = generated;
  const schema = {
    $schema,
    title,
    description: isInternalEventType(type)
      ? `Tactful event ${type} (internal: written only by Tactful, refused from outside), a CloudEvents 1.0 structured-JSON envelope.`
      : `Tactful event ${type}, a CloudEvents 1.0 structured-JSON envelope. The Kafka key must equal subject.`,
    ...rest,
    ...EXTENSIONS_JSON_SCHEMA,
    examples: [EXAMPLE_EVENTS[type]],
  };
  return file(`events/${type}.json`, schema);
}

function render(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The file at `path`, its `$id` right after `$schema`, so tools can register and reference it. */
function file(path: string, schema: JsonObject): JsonSchemaFile {
  const { $schema, ...rest } = schema;
  return { path, content: render({ $schema, $id: `${JSON_SCHEMA_ID_BASE}${path}`, ...rest }) };
}

/** Pure. Every file of `schemas/`, in a stable order, as the schemas of this package generate them. */
export function jsonSchemaFiles(): JsonSchemaFile[] {
  return [
    ...EVENT_TYPES.map(eventFile),
    file('command.json', toJsonSchema(Command)),
    file('audit-record.json', toJsonSchema(AuditRecord)),
  ];
}
