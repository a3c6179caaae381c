import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sendError } from '../http-errors'

/**
 * Errors thrown while handling a request: client errors say what was wrong; server errors are
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
}, { name: 'errors' })
