import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import { UNMATCHED_ROUTE, type Metrics } from './metrics'
import { parseTraceparent } from './trace-context'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A health probe or a scrape, asked every few seconds: its log line is at debug, not info. */
    probe?: boolean
  }
}

const REQUEST_ID_HEADER = 'x-request-id'

// An incoming id is reused only when it is short and plain, so that logs cannot be forged or flooded.
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/

/** The request's id: the caller's x-request-id when it is sane, else a new UUID. */
export function requestIdFor (request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER]
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

/**
 * What Fastify does at the start and at the end of every request, with a route or without (404),
 * or refused by the router (frameworkErrors). At the start: echo the request id on the response,
 * so that a caller can quote it, and give the request's logger the caller's trace context
 * (traceparent), so that its log lines join the caller's trace. At the end: one log line per
 * completed request (Fastify's default is two, with less in them), at info, health probes at
 * debug so that they do not drown the requests people make; and the request in the metrics.
 * Doing this here rather than in hooks saves two hooks on every request.
 */
export class RequestTelemetry extends LogController {
  /** Where requests are counted; without it, nowhere (METRICS_PORT=0). */
  readonly #metrics: Metrics | undefined

  constructor (metrics?: Metrics) {
    super()
    this.#metrics = metrics
  }

  override incomingRequest (request: FastifyRequest, reply: FastifyReply) {
    reply.header(REQUEST_ID_HEADER, request.id)
    const traceContext = parseTraceparent(request.headers.traceparent)
    if (traceContext) request.log = reply.log = request.log.child(traceContext)
  }

  // Failures are logged where they are handled (plugins/errors.ts), so this line is the same for all.
  override requestCompleted (_error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const { method } = request
    const { statusCode, elapsedTime } = reply
    // Read once: Fastify makes routeOptions anew at every read. Its config holds the route's pattern.
    const { config } = request.routeOptions
    reply.log[config.probe ? 'debug' : 'info']({ method, url: request.url, statusCode, responseTime: elapsedTime }, 'request completed')
    this.#metrics?.observeRequest(method, config.url ?? UNMATCHED_ROUTE, statusCode, elapsedTime)
  }
}
