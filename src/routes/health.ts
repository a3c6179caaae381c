import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse, sendError } from '../plugins/errors'

const Status = Type.Object({ status: Type.String() })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let shuttingDown = false
  app.addHook('preClose', async () => {
    shuttingDown = true
  })

  app.get('/healthz', {
    schema: { summary: 'Liveness: the process is up', tags: ['service'], response: { 200: Status } }
  }, async () => ({ status: 'ok' }))

  app.get('/readyz', {
    schema: {
      summary: 'Readiness: the server takes new requests (503 once shutdown has begun)',
      tags: ['service'],
      response: { 200: Status, 503: ErrorResponse }
    }
  }, async (_request, reply) => {
    if (shuttingDown) return sendError(reply, 503, 'Shutting down')
    return { status: 'ready' }
  })
}

export default healthRoutes
