import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ERROR_RESPONSES } from '../plugins/errors'

const Status = Type.Object({ status: Type.String() })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', {
    schema: { summary: 'Liveness: the process is up', tags: ['service'], response: { 200: Status, ...ERROR_RESPONSES } }
  }, async () => ({ status: 'ok' }))

  // Once shutdown has begun, Fastify answers every request, this one included, with a 503
  // (return503OnClosing), so a load balancer stops sending traffic here.
  app.get('/readyz', {
    schema: {
      summary: 'Readiness: the server takes new requests (503 once shutdown has begun)',
      tags: ['service'],
      response: { 200: Status, ...ERROR_RESPONSES }
    }
  }, async () => ({ status: 'ready' }))
}

export default healthRoutes
