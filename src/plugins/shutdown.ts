import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether close() has begun: new connections are refused, open ones drain. */
    isShuttingDown: () => boolean
  }
}

/**
 * Graceful shutdown. Once close() begins, every connection is closed as soon as its last response
 * is done: a keep-alive connection would otherwise hold close() open until the client let go.
 */
export default fp(async function shutdown (app: FastifyInstance) {
  let closing = false
  app.decorate('isShuttingDown', () => closing)
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onResponse', (_request, _reply, done) => {
    if (closing) setImmediate(() => app.server.closeIdleConnections())
    done()
  })
}, { name: 'shutdown' })
