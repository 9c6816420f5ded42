import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Personal data never reaches the logs: email addresses, names, reply text and form fields are redacted
 * wherever they appear in an event, a command or a customer profile we log. A person's name is redacted
 * where a person's data lives (`data`, `profile`), not as any member called `name`, which would also hide
 * the class of every logged error (`err.name`: `TactfulError`, `RangeError`) and of its causes.
 */
export const REDACTED_PATHS = [
  'email',
  'text',
  'fields',
  '*.email',
  '*.text',
  '*.fields',
  '*.*.email',
  '*.*.text',
  '*.*.fields',
  'data.name',
  '*.data.name',
  '*.*.data.name',
  'profile.name',
  '*.profile.name',
  '*.*.profile.name',
  'to',
  '*.to',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
];

export interface LoggerConfig {
  level: string;
  /** The service or tool this logger belongs to; every line carries it. */
  name: string;
}

/** pino JSON to stdout (or the given stream), with personal data redacted. */
export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: config.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
