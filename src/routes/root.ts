import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import * as Type from 'typebox'
import { errorResponses } from '../plugins/errors'

const Welcome = Type.Object({
  message: Type.String(),
  docs: Type.String({ description: 'Where the API is described for people' }),
  openapi: Type.String({ description: 'Where the OpenAPI document is' }),
  examples: Type.Array(Type.String(), { description: 'Requests to try' })
})

// The message is the Go server's, word for word: workshop material quotes it.
const WELCOME = {
  message: "Welcome! Try sending a request to '/name/{some-name}' to get started!",
  docs: '/docs',
  openapi: '/openapi.json',
  examples: ['/name/Benedict%20Cumberbatch', '/date/25-December', '/date/today?tz=Europe/London']
}

const rootRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { summary: 'Welcome, with pointers to the rest of the API', tags: ['birthdays'], response: { 200: Welcome, ...errorResponses() } }
  }, async () => WELCOME)
}

export default rootRoutes
