import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A health probe, asked every few seconds: its log line is at debug, not info. */
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
 * or refused by the router (frameworkErrors): here, echo the request id on the response, so that
 * a caller can quote it, and write one log line per completed request (Fastify's default is two,
 * with less in them), at info; health probes at debug, so that they do not drown the requests
 * people make. Doing it here rather than in an onRequest hook saves a hook on every request.
 */
export class RequestTracing extends LogController {
  override incomingRequest (request: FastifyRequest, reply: FastifyReply) {
    reply.header(REQUEST_ID_HEADER, request.id)
  }

  // Failures are logged where they are handled (plugins/errors.ts), so this line is the same for all.
  override requestCompleted (_error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    reply.log[request.routeOptions.config.probe ? 'debug' : 'info']({
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime
    }, 'request completed')
  }
}
