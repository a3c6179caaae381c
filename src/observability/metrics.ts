// The service's Prometheus metrics (prom-client): what it answered and how fast, Node.js's own
// process metrics, which build runs and how many people it knows. The metrics server
// (metrics-app.ts) exposes them; request-telemetry.ts records each request.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { BuildInfo } from '../bundle/build-info'

/** The route label of a request that no route took (404, or a method no route has): one series for all of them. */
export const UNMATCHED_ROUTE = 'unmatched'

// Most answers take well under a millisecond: the buckets start at 0.1 ms, so that a p99 can be
// told apart from a p50, and reach 10 s, the longest a request may take (app.ts).
const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

// Bounded labels only: the route is its pattern (/name/:name), never the path asked for.
const REQUEST_LABELS = ['method', 'route', 'status_code'] as const

export interface MetricsOptions {
  buildInfo: BuildInfo
  /** How many people the service knows the birthday of. */
  people: number
}

export interface Metrics {
  /** Everything there is to scrape. */
  registry: Registry
  /** Counts one answered request: its method, route pattern (or UNMATCHED_ROUTE), status and duration in ms. */
  observeRequest: (method: string, route: string, statusCode: number, durationMs: number) => void
}

/** A registry of its own (not prom-client's global one), so that each app built has its own figures. */
export function createMetrics ({ buildInfo, people }: MetricsOptions): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'How long answering a request took, from its arrival to the last byte sent, by method, route pattern and status',
    labelNames: REQUEST_LABELS,
    buckets: DURATION_BUCKETS,
    registers: [registry]
  })
  // A request is observed once, in the histogram; the counter is the histogram's count, copied
  // when it is scraped. So the two always agree, and a request costs one observation, not two.
  registry.registerMetric(new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by method, route pattern and status',
    labelNames: REQUEST_LABELS,
    registers: [],
    async collect () {
      const { values } = await durations.get()
      this.reset()
      for (const { metricName, labels, value } of values) {
        if (metricName === 'http_request_duration_seconds_count') this.inc(labels, value)
      }
    }
  }))

  new Gauge({ name: 'hbaas_build_info', help: 'The build that runs: always 1, with its version and commit', labelNames: ['version', 'commit'], registers: [registry] })
    .set({ version: buildInfo.version, commit: buildInfo.commit }, 1)
  new Gauge({ name: 'hbaas_people', help: 'People the service knows the birthday of (the bundled ones or PEOPLE_FILE)', registers: [registry] })
    .set(people)

  return {
    registry,
    observeRequest: (method, route, statusCode, durationMs) =>
      durations.observe({ method, route, status_code: statusCode }, durationMs / 1000)
  }
}
