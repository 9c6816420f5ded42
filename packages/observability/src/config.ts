import { z } from 'zod';
import { DEFAULT_NAMESPACE, linkSecretProblem, Namespace, TactfulError } from '@tactful/events';

export interface ConfigProblem {
  variable: string;
  problem: string;
}

/**
 * Pure. Parses an environment against a zod schema and reports every problem at once, so a service
 * stops at start with the whole list rather than failing on the next variable half-way later.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = result.error.issues.map((issue) => ({
    variable: issue.path.map(String).join('.') || '(environment)',
    problem: issue.message,
  }));
  throw new ConfigError(problems);
}

export class ConfigError extends TactfulError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(
      'config.invalid',
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n'),
    );
    this.problems = problems;
  }
}

const hostPort = /^[^\s:,]+:\d{1,5}$/;

/** The environment variables of CONTRACT.md section 1, shared by every service and command. */
export const kafkaBrokers = z
  .string()
  .default('127.0.0.1:9092')
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  )
  .refine((list) => list.length > 0, 'at least one host:port is required')
  .refine((list) => list.every((b) => hostPort.test(b)), 'each broker must be host:port, comma-separated');

export const redisUrl = z
  .string()
  .default('redis://127.0.0.1:6379')
  .refine(
    (value) => value.split(',').every((u) => /^rediss?:\/\/[^\s]+$/.test(u.trim())),
    'must be a redis:// URL, or a comma-separated list of them for Redis Cluster',
  );

/** TACTFUL_NAMESPACE: the prefix of topics, groups and keys, held to Kafka's topic-name rule. */
export const namespace = Namespace.default(DEFAULT_NAMESPACE);

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

export const httpPort = z.coerce.number().int().min(0).max(65535).default(8080);

/** 5 MiB: room for a batch of a few thousand typical events, small enough to buffer per request. */
export const DEFAULT_INGEST_MAX_BYTES = 5 * 1024 * 1024;

/** TACTFUL_INGEST_MAX_BYTES: the largest request body `POST /events` reads; larger ones get 413. */
export const ingestMaxBytes = z.coerce
  .number()
  .int()
  .min(1024)
  .max(100 * 1024 * 1024)
  .default(DEFAULT_INGEST_MAX_BYTES);

/** A host name or an IP address to listen on (`0.0.0.0`: every interface). */
export const listenHost = z
  .string()
  .regex(/^(?:[A-Za-z0-9._-]+|\[?[0-9A-Fa-f:.]+\]?)$/, 'must be a host name or an IP address');

/** TACTFUL_LINK_SECRET: the key of reply-address MACs and unsubscribe tokens (CONTRACT.md section 1). */
export const linkSecret = z.string().superRefine((value, ctx) => {
  const problem = linkSecretProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * TACTFUL_PUBLIC_URL: the base of the links in emails; its `/u/` path must reach the gateway. An http or
 * https URL, with a path if the gateway sits under one, and no credentials, query or fragment. Read
 * without its trailing slash.
 */
export const publicUrl = z
  .string()
  .superRefine((value, ctx) => {
    const problem = publicUrlProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value.replace(/\/+$/, ''));

function publicUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return 'must be an http:// or https:// URL (e.g. https://mail.example.com)';
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password';
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value))
    return 'must not have a query or a fragment';
  return null;
}

/**
 * Pure. The base URL of the links in emails: `TACTFUL_PUBLIC_URL`, else the HTTP server of this process
 * on loopback (`http://127.0.0.1:<port>`, the port it listens on when known).
 */
export function publicUrlOf(
  env: { readonly TACTFUL_PUBLIC_URL?: string | undefined; readonly TACTFUL_HTTP_PORT: number },
  listeningPort: number = env.TACTFUL_HTTP_PORT,
): string {
  return env.TACTFUL_PUBLIC_URL ?? `http://127.0.0.1:${listeningPort}`;
}

export const BaseConfig = z.object({
  KAFKA_BROKERS: kafkaBrokers,
  REDIS_URL: redisUrl,
  TACTFUL_NAMESPACE: namespace,
  LOG_LEVEL: logLevel,
});
export type BaseConfig = z.infer<typeof BaseConfig>;

/**
 * Every environment variable a Tactful service or command reads (CONTRACT.md section 1, plus
 * the project's own, listed in the root README's configuration table). A service's own schema picks from
 * these; docker-compose.yml may set no other.
 */
export const TactfulEnv = BaseConfig.extend({
  TACTFUL_JOURNEYS: z.string().min(1).default('./journeys'),
  TACTFUL_TEMPLATES: z.string().min(1).default('./templates'),
  TACTFUL_POLICY: z.string().min(1).default('./policy.yaml'),
  TACTFUL_SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The From of every email the dispatcher delivers. */
  TACTFUL_MAIL_FROM: z
    .string()
    .regex(
      /^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/,
      'must be an address, or a name and an address in angle brackets ("Tactful <outreach@example.com>")',
    )
    .default('Tactful <outreach@tactful.local>'),
  /** The domain of the Reply-To addresses (`reply+<commandId>.<mac>@<domain>`); its MX must reach the gateway's inbound port. */
  TACTFUL_REPLY_DOMAIN: z
    .string()
    .regex(
      /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
      'must be a domain name',
    )
    .default('replies.tactful.local'),
  /** Where the gateway accepts replies over SMTP (reply capture); unset = reply capture off. */
  TACTFUL_SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The address reply capture listens on; loopback unless the MX in front of it is elsewhere. */
  TACTFUL_SMTP_INBOUND_HOST: listenHost.default('127.0.0.1'),
  /** Signs the Reply-To addresses (and unsubscribe links); the dispatcher, and the gateway's reply capture, do not start without it. */
  TACTFUL_LINK_SECRET: linkSecret.optional(),
  /**
   * How far behind in time the halt sentinel's group may be before the dispatcher holds every send until
   * it catches up; a send never goes out on halt signals older than this.
   */
  TACTFUL_HALT_SIGNAL_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /**
   * How long a send claimed by one dispatcher is protected from the others; it must exceed the longest
   * SMTP conversation (the SMTP client's timeouts are derived from it).
   */
  TACTFUL_DELIVERY_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  TACTFUL_HTTP_PORT: httpPort,
  /** The base URL of the links in emails (default `http://127.0.0.1:<TACTFUL_HTTP_PORT>`). */
  TACTFUL_PUBLIC_URL: publicUrl.optional(),
  /** The token of the ops console and its API; unset = the HTTP server listens on loopback only. */
  TACTFUL_CONSOLE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The address the HTTP server listens on, when a console token is set (default every interface). */
  TACTFUL_HTTP_HOST: listenHost.optional(),
  TACTFUL_INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TACTFUL_INGEST_MAX_BYTES: ingestMaxBytes,
  TACTFUL_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /**
   * How long a consumer may go silent before its group gives its partitions to another member. Shorter
   * moves work off a crashed process sooner; the broker bounds it (6 s to 30 min by default).
   */
  TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(1_800_000).default(30_000),
});
export type TactfulEnv = z.infer<typeof TactfulEnv>;
