import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Every Tactful metric is declared in this file, grouped by what it watches, so the whole list (names, help,
// labels) can be read in one place and a dashboard author never has to search the services for a name. To
// add one, add one entry: the name is `tactful_<what>_<unit>` (`_total` for counters, `_seconds` / `_bytes`
// for histograms and gauges), the help says what one increment means, and the labels are few and bounded
// (never an id, a customer or an email address: each label value is a new time series).

/** The three kinds of metric, each registered in `registry` as it is made. */
function makers(registry: Registry) {
  const registers = [registry];
  return {
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name, help, labelNames, registers }),
    histogram: <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
      new Histogram<L>({ name, help, labelNames, buckets, registers }),
    gauge: <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames, registers }),
  };
}

type Makers = ReturnType<typeof makers>;

/** Events in and out: the ingest API, the consumers of `N.events`, the dead-letter topic. */
function eventFlowMetrics(m: Makers) {
  return {
    /** A consumer finished with one message of `N.events`: `outcome` is what the handler reported, or `dead_lettered`. */
    eventsProcessed: m.counter(
      'tactful_events_processed_total',
      'Messages a consumer finished with, by event type (invalid when unreadable) and outcome (dead_lettered when refused or when handling failed)',
      ['type', 'outcome'],
    ),
    /** One message written to `N.dlq`. */
    dlqMessages: m.counter(
      'tactful_dlq_messages_total',
      'Messages written to the dead-letter topic, by the topic they came from and the rejection reason',
      ['source_topic', 'reason'],
    ),
    /** One answered `POST /events`, by HTTP status. */
    ingestRequests: m.counter(
      'tactful_ingest_requests_total',
      'Requests to the ingest API (POST /events), by HTTP status code',
      ['status'],
    ),
    /** One event acknowledged by Kafka on `N.events`, written by a Tactful component. */
    eventsPublished: m.counter(
      'tactful_events_published_total',
      'Events written to N.events and acknowledged by every in-sync replica, by event type',
      ['type'],
    ),
    /** Time from receiving `POST /events` to answering it. */
    ingestDuration: m.histogram(
      'tactful_ingest_request_duration_seconds',
      'Time to answer a request to the ingest API, including the Kafka acknowledgement',
      ['status'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
  };
}

/** What the engine decided, and the durable waits it scheduled coming due. */
function engineMetrics(m: Makers) {
  return {
    /** One decision of the engine, as recorded in the audit: entered, sent, deferred, suppressed, ... */
    decisions: m.counter(
      'tactful_decisions_total',
      'Decisions the orchestrator committed, by kind (the audit record decision)',
      ['decision'],
    ),
    /** An alert raised for one customer (the blast guard tripped and the customer's journeys halted). */
    alerts: m.counter('tactful_alerts_total', 'Alerts raised by the engine, by kind', ['alert']),
    /** Timers turned into `timer.fired` events. */
    timersFired: m.counter('tactful_timers_fired_total', 'Durable waits that came due and were fired', []),
    /** From a timer's due time to its `timer.fired` event being acknowledged by Kafka. */
    timerFiringDelay: m.histogram(
      'tactful_timer_firing_delay_seconds',
      'Delay between a timer coming due and its timer.fired event being written',
      [],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
  };
}

/** The halt sentinel: how many halts it marked and how soon. */
function haltMetrics(m: Makers) {
  return {
    /** The halt sentinel wrote a new halt mark for one halting event (a repeat of a mark is not counted). */
    haltsMarked: m.counter(
      'tactful_halts_marked_total',
      'Halt marks the sentinel wrote in Redis, by the type of the halting event',
      ['type'],
    ),
    /** From a halting event's Kafka timestamp to its halt mark being in Redis: how soon a halt takes effect. */
    haltMarkDelay: m.histogram(
      'tactful_halt_mark_delay_seconds',
      'Delay between a halting event being written to N.events (its Kafka timestamp) and its halt mark being written',
      [],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    /** One message of `N.events` the halt sentinel finished with, by what it did with it. */
    sentinelMessages: m.counter(
      'tactful_sentinel_messages_total',
      'Messages of N.events the halt sentinel read: skipped (not halting), invalid, halts_nothing, marked, already_marked, failed (not markable; left to the orchestrator)',
      ['outcome'],
    ),
  };
}

/** Backlogs: timers waiting and consumer lag per group and partition. */
function backlogMetrics(m: Makers) {
  return {
    /** Timers waiting in Redis, as last measured (the backlog of the timer service). */
    timerBacklog: m.gauge('tactful_pending_timers', 'Durable waits pending in Redis, over every shard', []),
    /** Messages a consumer group has yet to read on one partition, at the last lag sample. */
    consumerLag: m.gauge(
      'tactful_consumer_lag_messages',
      'Log-end offset minus committed offset of a consumer group on one partition, at the last lag sample',
      ['group', 'topic', 'partition'],
    ),
    /** How long the next message a group will read has waited (0 when caught up), at the last lag sample. */
    consumerLagSeconds: m.gauge(
      'tactful_consumer_lag_seconds',
      'Age of the next message a consumer group will read on one partition (a lower bound; 0 when caught up)',
      ['group', 'topic', 'partition'],
    ),
    /** 1 for the status a consumer group has (OK, WARNING, STALLED, STOPPED), 0 for the others. */
    consumerGroupStatus: m.gauge(
      'tactful_consumer_group_status',
      'Status of a consumer group judged over its recent lag samples: 1 for its status, 0 for the others',
      ['group', 'status'],
    ),
  };
}

/** The dispatcher and the mail that comes back: sends, replies, unsubscribes, holds. */
function deliveryMetrics(m: Makers) {
  return {
    /** One command of `N.commands` the dispatcher finished with, by what became of it. */
    commandsProcessed: m.counter(
      'tactful_commands_processed_total',
      'Commands the dispatcher finished with, by command type (invalid when unreadable) and outcome: delivered, duplicate, suppressed, rejected, uncertain, dead_lettered',
      ['type', 'outcome'],
    ),
    /** One SMTP conversation of the dispatcher, by how the server answered. */
    smtpSendDuration: m.histogram(
      'tactful_smtp_send_duration_seconds',
      'Time of one SMTP delivery attempt, by result: accepted, transient (4xx, connection), permanent (5xx), uncertain',
      ['result'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    /** One message received on the inbound SMTP port for one recipient, by what became of it. */
    repliesReceived: m.counter(
      'tactful_replies_received_total',
      'Recipients of mail received on the inbound SMTP port: published (email.replied written), unsubscribed (an unsubscribe address), refused (unknown or altered address)',
      ['outcome'],
    ),
    /** Opt-outs people made from an email's links or unsubscribe address. */
    unsubscribes: m.counter(
      'tactful_unsubscribes_total',
      'Opt-outs made from an email: by way (one_click, page, mailto) and effect (topic, all, pause; test for a test copy, which publishes nothing)',
      ['via', 'effect'],
    ),
    /** Sends the dispatcher holds now because the halt sentinel is behind or absent. */
    heldCommands: m.gauge(
      'tactful_held_commands',
      'Commands the dispatcher holds now, unsent and uncommitted, until the halt sentinel (N.sentinel) has members and is within TACTFUL_HALT_SIGNAL_MAX_LAG_MS',
      [],
    ),
    /** One send held at least once until the halt signals were current. */
    commandHolds: m.counter(
      'tactful_command_holds_total',
      'Commands the dispatcher held before their last-mile check because the halt sentinel was behind or absent',
      [],
    ),
  };
}

function defineMetrics(registry: Registry) {
  const m = makers(registry);
  // in this order, the order of the README's table
  return {
    ...eventFlowMetrics(m),
    ...engineMetrics(m),
    ...haltMetrics(m),
    ...backlogMetrics(m),
    ...deliveryMetrics(m),
    /** 1 while a readiness check passes, 0 while it fails, as of the last `/readyz`. */
    readinessCheck: m.gauge(
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
