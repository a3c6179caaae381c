import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sendError } from './errors'

/**
 * What a request must be to reach a route, answered in the JSON error shape before any body is
 * read: an HTTP/1.1 request needs a Host header (Node's own 400 for it has no body); another method
 * on a path that a route has is a 405 that says which methods work (every route is a GET, and so a
 * HEAD too); and a path that no route has is a 404.
 */
export default fp(async function requestPolicy (app: FastifyInstance) {
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

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `No route for ${request.method} ${request.url}; see /docs for the routes.`))
}, { name: 'request-policy' })
