import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify'
import type { Metrics } from './metrics'
import { RequestTelemetry, requestIdFor } from './request-telemetry'

export interface MetricsAppOptions {
  metrics: Metrics
  /** The service's logger; off by default (tests). */
  logger?: FastifyBaseLogger
  /**
   * The bundle's precompiled schemas (see app.ts): this app has no schema, but without them
   * Fastify would load its schema compilers, which the bundle leaves out.
   */
  schemaController?: FastifyServerOptions['schemaController']
}

/**
 * The metrics server: GET /metrics in Prometheus's text format, for the port in METRICS_PORT,
 * never the public one, so that what the service counts is not published with it. Scrapes are
 * not counted in the metrics, and logged at debug, like health probes.
 */
export async function buildMetricsApp ({ metrics, logger, schemaController }: MetricsAppOptions) {
  const app = Fastify({ loggerInstance: logger, logController: new RequestTelemetry(), requestIdHeader: false, genReqId: requestIdFor, schemaController })
  app.get('/metrics', { config: { probe: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
  return app
}
