// What every error response looks like: its body, how the routes send one (sendError) and
// describe theirs (errorResponses), and the handler for errors thrown while handling a request.
// (Fastify's own clientErrorHandler answers requests that Node's HTTP parser refuses in the same
// shape.)
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import * as Type from 'typebox'
import type { Static } from 'typebox'

/** The body of every error response, whatever its status. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
  error: Type.String({ description: 'HTTP reason phrase, e.g. "Bad Request"' }),
  message: Type.String({ description: 'What went wrong, for a person to read' })
})

/** The error body for a status: the one place where it is made. */
export function errorBody (statusCode: number, message: string): Static<typeof ErrorBody> {
  return { statusCode, error: String(STATUS_CODES[statusCode]), message }
}

/** Sends an error response. */
export function sendError (reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply.code(statusCode).send(errorBody(statusCode, message))
}

// What each error status means here, for the API document.
const MEANINGS = {
  400: 'Invalid input: the message says what was expected',
  405: 'Another method than GET or HEAD on this path; the Allow header lists those',
  500: 'Unexpected server error (details are logged, never sent)',
  503: 'Shutting down: retry on another instance'
}
const ALLOW = { allow: { type: 'string', description: 'The methods this path takes', example: 'GET, HEAD' } }

/**
 * A route's error responses for its schema, so the API document: 405 and 500 for every route,
 * and the statuses given, those that the route itself can answer.
 */
export function errorResponses (...statuses: Array<400 | 503>) {
  const described = (status: keyof typeof MEANINGS) => ({ ...ErrorBody, description: MEANINGS[status] })
  return {
    ...Object.fromEntries(statuses.map(status => [status, described(status)])),
    405: { ...described(405), headers: ALLOW },
    500: described(500)
  }
}

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
