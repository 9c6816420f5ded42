import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Every Tactful metric is declared in `defineMetrics` below, so the whole list (names, help, labels) can be
// read in one place and a dashboard author never has to search the services for a name. To add one, add
// one entry: the name is `tactful_<what>_<unit>` (`_total` for counters, `_seconds` / `_bytes` for
// histograms and gauges), the help says what one increment means, and the labels are few and bounded
// (never an id, a customer or an email address: each label value is a new time series).

function defineMetrics(registry: Registry) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });

  return {
    /** A consumer finished with one message of `N.events`: `outcome` is what the handler reported, or `dead_lettered`. */
    eventsProcessed: counter(
      'tactful_events_processed_total',
      'Messages a consumer finished with, by event type (invalid when unreadable) and outcome',
      ['type', 'outcome'],
    ),
    /** One message written to `N.dlq`. */
    dlqMessages: counter(
      'tactful_dlq_messages_total',
      'Messages written to the dead-letter topic, by the topic they came from and the rejection reason',
      ['source_topic', 'reason'],
    ),
    /** One answered `POST /events`, by HTTP status. */
    ingestRequests: counter(
      'tactful_ingest_requests_total',
      'Requests to the ingest API (POST /events), by HTTP status code',
      ['status'],
    ),
    /** One event acknowledged by Kafka on `N.events`, written by a Tactful component. */
    eventsPublished: counter(
      'tactful_events_published_total',
      'Events written to N.events and acknowledged by every in-sync replica, by event type',
      ['type'],
    ),
    /** Time from receiving `POST /events` to answering it. */
    ingestDuration: histogram(
      'tactful_ingest_request_duration_seconds',
      'Time to answer a request to the ingest API, including the Kafka acknowledgement',
      ['status'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    /** One decision of the engine, as recorded in the audit: entered, sent, deferred, suppressed, ... */
    decisions: counter(
      'tactful_decisions_total',
      'Decisions the orchestrator committed, by kind (the audit record decision)',
      ['decision'],
    ),
    /** An alert raised for one customer (the blast guard tripped and the customer's journeys halted). */
    alerts: counter('tactful_alerts_total', 'Alerts raised by the engine, by kind', ['alert']),
    /** Timers turned into `timer.fired` events. */
    timersFired: counter('tactful_timers_fired_total', 'Durable waits that came due and were fired', []),
    /** From a timer's due time to its `timer.fired` event being acknowledged by Kafka. */
    timerFiringDelay: histogram(
      'tactful_timer_firing_delay_seconds',
      'Delay between a timer coming due and its timer.fired event being written',
      [],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    /** Timers waiting in Redis, as last measured. */
    timerBacklog: gauge('tactful_timer_backlog', 'Durable waits pending in Redis', []),
    /** 1 while a readiness check passes, 0 while it fails, as of the last `/readyz`. */
    readinessCheck: gauge(
      'tactful_readiness_check',
      'Whether a readiness check passed when /readyz last ran (1) or not (0)',
      ['check'],
    ),
  };
}

export type TactfulMetrics = ReturnType<typeof defineMetrics>;

export interface Metrics extends TactfulMetrics {
  /** What `GET /metrics` serves. */
  readonly registry: Registry;
}

export interface MetricsOptions {
  /**
   * Collect prom-client's default process and Node.js metrics (`process_cpu_seconds_total`,
   * `nodejs_eventloop_lag_seconds`, ...). Default true. They keep their standard, unprefixed names so the
   * usual Node.js dashboards work unchanged.
   */
  readonly defaultMetrics?: boolean;
}

/**
 * A fresh registry with the Tactful metrics. One per process (the ops server serves it); tests make their
 * own, so counts never leak between them.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return { registry, ...defineMetrics(registry) };
}
