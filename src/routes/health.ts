import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import * as Type from 'typebox'
import { errorResponses, sendError } from '../plugins/errors'

const Status = Type.Object({ status: Type.String() })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', {
    config: { probe: true },
    schema: { summary: 'Liveness: the process is up', tags: ['service'], response: { 200: Status, ...errorResponses() } }
  }, async () => ({ status: 'ok' }))

  // Once shutdown begins, /readyz says 503 so that a load balancer stops sending traffic here,
  // while requests on connections already open are still served (see plugins/shutdown.ts).
  app.get('/readyz', {
    config: { probe: true },
    schema: {
      summary: 'Readiness: the server takes new requests (503 once shutdown has begun)',
      tags: ['service'],
      response: { 200: Status, ...errorResponses(503) }
    }
  }, async (_request, reply) => app.isShuttingDown() ? sendError(reply, 503, 'Shutting down') : { status: 'ready' })
}

export default healthRoutes
