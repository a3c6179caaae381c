import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether close() has begun: new connections are refused, open ones drain. */
    isShuttingDown: () => boolean
  }
}

/**
 * How long a shutdown may take, at most, before the process exits anyway: `docker stop` waits
 * 10 s before SIGKILL and Kubernetes' grace period is longer; finish well within both, even with
 * clients still connected. The tests hold the server to it.
 */
export const SHUTDOWN_GRACE_MS = 3000

// How often, while closing, connections that have gone idle are closed.
const IDLE_SWEEP_MS = 50

/**
 * Graceful shutdown. Once close() begins, new requests on open connections are answered with
 * Connection: close (Fastify does that), and every connection is closed as soon as it has no
 * request in flight: a keep-alive connection would otherwise hold close() open until the client
 * let go. Nothing of this runs per request while the server is not closing.
 */
export default fp(async function shutdown (app: FastifyInstance) {
  let closing = false
  let idleSweep: NodeJS.Timeout | undefined
  app.decorate('isShuttingDown', () => closing)
  app.addHook('preClose', async () => {
    closing = true
    idleSweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS)
  })
  app.addHook('onClose', async () => clearInterval(idleSweep))
}, { name: 'shutdown' })
