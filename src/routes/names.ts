import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { greetPerson } from '../birthdays/greetings'
import { MAX_NAME_LENGTH } from '../birthdays/people'
import { ERROR_RESPONSES } from '../plugins/errors'

const NameParams = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: MAX_NAME_LENGTH,
    description: `Who to greet, URL-encoded; surrounding spaces are ignored (1 to ${MAX_NAME_LENGTH} characters)`,
    examples: ['Benedict Cumberbatch']
  })
})

const NameGreeting = Type.Object({
  message: Type.String({ examples: ['Happy birthday Benedict Cumberbatch!'] })
})

const nameRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/name/:name', {
    schema: {
      summary: 'Wish one person a happy birthday',
      tags: ['birthdays'],
      params: NameParams,
      response: { 200: NameGreeting, ...ERROR_RESPONSES }
    },
    // Trimmed before validation, so that the length limits apply to the name itself.
    preValidation: async (request) => {
      request.params.name = request.params.name.trim()
    }
  }, async (request) => ({ message: greetPerson(request.params.name) }))
}

export default nameRoutes
