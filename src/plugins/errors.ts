import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'

/** The body of every error response: the same shape for 400, 404, 503 and 500. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
  error: Type.String({ description: 'HTTP reason phrase, e.g. "Bad Request"' }),
  message: Type.String({ description: 'What went wrong, for a person to read' })
}, { description: 'An error' })

/** Sends an error response in the shape of ErrorResponse. */
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
}, { name: 'errors' })
