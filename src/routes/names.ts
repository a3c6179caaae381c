import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import * as Type from 'typebox'
import { greetPerson } from '../birthdays/greetings'
import { NAME_PATTERN, NAME_RULE } from '../birthdays/names'
import { errorResponses, sendError } from '../plugins/errors'

const NameParams = Type.Object({
  name: Type.String({
    pattern: NAME_PATTERN,
    description: `Who to greet, URL-encoded: ${NAME_RULE}`,
    examples: ['Benedict Cumberbatch']
  })
})

const NameGreeting = Type.Object({
  message: Type.String({ examples: ['Happy birthday Benedict Cumberbatch!'] })
})

const nameRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/name/:name', {
    attachValidation: true, // a failed check reaches the handler, which says what was expected
    schema: {
      summary: 'Wish one person a happy birthday',
      tags: ['birthdays'],
      params: NameParams,
      response: { 200: NameGreeting, ...errorResponses(400) }
    }
  }, async (request, reply) => {
    if (request.validationError) return sendError(reply, 400, `Invalid name: expected ${NAME_RULE}`)
    return { message: greetPerson(request.params.name.trim()) }
  })
}

export default nameRoutes
