import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'

// The body of every error response: one shape for 400, 404, 500 and 503.
const errorResponse = (description: string) => Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
  error: Type.String({ description: 'HTTP reason phrase, e.g. "Bad Request"' }),
  message: Type.String({ description: 'What went wrong, for a person to read' })
}, { description })

/** What any route may answer besides its own 200, for its response schema and so the API document. */
export const ERROR_RESPONSES = {
  400: errorResponse('Bad request: invalid input, or a request that is not valid HTTP'),
  404: errorResponse('Not found'),
  500: errorResponse('Unexpected server error (details are logged, never sent)'),
  503: errorResponse('Shutting down: retry on another instance')
}

/** Sends an error response in the shape that ERROR_RESPONSES describes. */
export function sendError (reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode], message })
}

/**
 * Every error answers in one JSON shape. Client errors say what was wrong; server errors are
 * logged in full and answered with a generic message, so no stack or path ever reaches a client.
 */
export default fp(async function errors (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
      return sendError(reply, statusCode, 'Something went wrong on our side; it has been logged.')
    }
    return sendError(reply, statusCode, error.message)
  })

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `No route for ${request.method} ${request.url}; see /docs for the routes.`))

  // Answered before routing and body parsing: an HTTP/1.1 request without a Host header (Node's
  // own 400 for it has no body), and another method on a known path, which is a 405 that says
  // which ones work (every route is a GET).
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      sendError(reply, 400, 'An HTTP/1.1 request needs a Host header.')
      return
    }
    if (!request.is404) return done()
    const [path] = request.url.split('?')
    if (app.findRoute({ method: 'GET', url: path })) {
      sendError(reply.header('allow', 'GET, HEAD'), 405, `${request.method} is not allowed on ${path}; use GET.`)
      return
    }
    done()
  })
}, { name: 'errors' })

// What Node's HTTP parser rejects, before any route: answered in the same shape, then closed.
const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request line and headers are larger than the server accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive.']
}

/** Fastify's clientErrorHandler: a malformed, oversized or too slow request gets a JSON error. */
export function clientErrorHandler (error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy()
  const [statusCode, message] = CLIENT_ERRORS[String(error.code)] ?? [400, 'The request is not valid HTTP.']
  const body = JSON.stringify({ statusCode, error: STATUS_CODES[statusCode], message })
  socket.end(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}
