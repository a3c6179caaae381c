import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

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
 * One log line per completed request (Fastify's default is two, with less in them), at info;
 * health probes at debug, so that they do not drown the requests people make.
 */
export class RequestLog extends LogController {
  override incomingRequest () {}

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

/** Echoes the request id on every response, so that a caller can quote it. */
export default fp(async function requestTracing (app: FastifyInstance) {
  // A callback hook, not an async one: it runs on every request, and a promise costs more.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    done()
  })
}, { name: 'request-tracing' })
