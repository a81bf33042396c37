import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one process (docs/operations.md, "Metrics"). Each app runs as its
 * own process, so the figures are per instance: Prometheus scrapes every instance and sums.
 * Labels never carry personal data or free text: route patterns, ids, fixed outcome words.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry, prefix: 'madoguchi_' });

/** Every answered request, by app, method, matched route pattern (never the raw URL) and status. */
export const httpRequestsTotal = new Counter({
  name: 'madoguchi_http_requests_total',
  help: 'HTTP requests answered, by app, method, matched route pattern and status code',
  labelNames: ['app', 'method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'madoguchi_http_request_duration_seconds',
  help: 'Time from the request arriving to the reply sent, by app, method and matched route pattern',
  labelNames: ['app', 'method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/**
 * The outbox backlog, read from the database when the desk is scraped (the same figure on every
 * desk instance: take max(), not sum()): `pending` not yet tried, `failed` waiting for a retry
 * after a failed attempt, `dead` given up.
 */
export const outboxJobs = new Gauge({
  name: 'madoguchi_outbox_jobs',
  help: 'Mail jobs in the outbox by state (pending, failed = waiting for a retry, dead), database-wide',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
});

/** Delivery attempts of this instance's outbox worker: sent, failed (will retry), dead (gave up). */
export const outboxDeliveriesTotal = new Counter({
  name: 'madoguchi_outbox_deliveries_total',
  help: 'Outbox delivery attempts by outcome (sent, failed, dead)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** New tickets by merchant id and channel (web form or API, phone). Ids only, never names. */
export const inquiriesTotal = new Counter({
  name: 'madoguchi_inquiries_total',
  help: 'Inquiries (new tickets) by merchant id and channel',
  labelNames: ['merchant_id', 'channel'] as const,
  registers: [metricsRegistry],
});

/** Calls counted once, when their outcome is first known (answered, abandoned, voicemail, …). */
export const callsTotal = new Counter({
  name: 'madoguchi_calls_total',
  help: 'Calls by outcome, counted when the outcome is first known',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Scheduled job runs by job and result (success, failure). */
export const jobRunsTotal = new Counter({
  name: 'madoguchi_job_runs_total',
  help: 'Scheduled job runs by job and result (success, failure)',
  labelNames: ['job', 'result'] as const,
  registers: [metricsRegistry],
});
