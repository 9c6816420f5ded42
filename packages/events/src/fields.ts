import { z } from 'zod';

// Field shapes shared by events, commands and audit records. Each carries its JSON Schema spelling
// (pattern / format) so schemas/ says the same thing to validators in other languages.

// C0 and C1 control characters: in an id or a key they are always a producer bug, and they break log
// lines and Redis key dumps. Written with \u escapes (no `u` flag) so the pattern means the same in
// ECMAScript, Python `re` and Java regex.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001F\u007F-\u009F]+$/;

// A lone UTF-16 surrogate cannot be encoded as UTF-8, so such an id could never equal a Kafka key.
// With the `u` flag a well-formed pair is one code point, so only lone surrogates match \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

/** Pure. An identifier: 1 to `max` characters, no control characters, no lone surrogates. */
export function identifier(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .refine((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode');
}

/** The customer id: the CloudEvents `subject`, the Kafka key of every topic, the root of Redis state. */
export const CustomerId = identifier(256).describe(
  'The customer id: 1 to 256 characters, no control characters. Equals the Kafka key.',
);
export type CustomerId = z.infer<typeof CustomerId>;

/** An RFC 3339 timestamp with seconds and an explicit offset (`Z` or `±hh:mm`); fractions allowed. */
export const Timestamp = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time with offset');
export type Timestamp = z.infer<typeof Timestamp>;

/** A non-empty name chosen by people (a journey id, a template, a form id, a SKU). */
export const Name = z.string().min(1).max(512);

/** A journey version: a positive integer, as in the journey file. */
export const JourneyVersion = z.int().min(1);

// RFC 3986, built from its grammar (section 3 and appendix A) so that the JSON Schema files can carry the
// same rule as a plain `pattern`. Deliberately narrower in one place: IP-literal hosts (`[::1]`) are
// not accepted, as no event source is named that way. Everything accepted here is also accepted by the
// `ajv-formats` rule the CloudEvents SDK validates with (cloud-event.test.ts checks it).
const PCT = '%[0-9A-Fa-f]{2}';
const UNRESERVED_SUB_DELIMS = "A-Za-z0-9\\-._~!$&'()*+,;=";
const PCHAR = `(?:[${UNRESERVED_SUB_DELIMS}:@]|${PCT})`;
const PCHAR_NO_COLON = `(?:[${UNRESERVED_SUB_DELIMS}@]|${PCT})`;
const SCHEME = '[A-Za-z][A-Za-z0-9+\\-.]*';
const AUTHORITY = `(?:(?:[${UNRESERVED_SUB_DELIMS}:]|${PCT})*@)?(?:[${UNRESERVED_SUB_DELIMS}]|${PCT})*(?::[0-9]*)?`;
const PATH_ABEMPTY = `(?:/${PCHAR}*)*`;
const PATH_ABSOLUTE = `/(?:${PCHAR}+${PATH_ABEMPTY})?`;
const PATH_ROOTLESS = `${PCHAR}+${PATH_ABEMPTY}`;
const PATH_NOSCHEME = `${PCHAR_NO_COLON}+${PATH_ABEMPTY}`;
const QUERY_FRAGMENT = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const HIER_PART = `(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_ROOTLESS})?`;
const RELATIVE_PART = `(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_NOSCHEME})?`;

/** Pure. RFC 3986 `URI` (absolute, with a scheme), without IP-literal hosts. */
export const URI_PATTERN = new RegExp(`^${SCHEME}:${HIER_PART}${QUERY_FRAGMENT}$`);

/** Pure. RFC 3986 `URI-reference` (absolute or relative), without IP-literal hosts. */
export const URI_REFERENCE_PATTERN = new RegExp(
  `^(?:${SCHEME}:${HIER_PART}|${RELATIVE_PART})${QUERY_FRAGMENT}$`,
);

/** A URI-reference (RFC 3986), as CloudEvents requires for `source`. */
export const UriReference = z
  .string()
  .min(1)
  .max(2048)
  .regex(URI_REFERENCE_PATTERN, 'must be a URI-reference (RFC 3986)')
  .meta({ format: 'uri-reference' });

/** An absolute URI (RFC 3986), as CloudEvents requires for `dataschema`. */
export const Uri = z
  .string()
  .min(1)
  .max(2048)
  .regex(URI_PATTERN, 'must be an absolute URI (RFC 3986)')
  .meta({ format: 'uri' });
