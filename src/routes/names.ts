import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { greetPerson } from '../birthdays/greetings'
import { MAX_NAME_LENGTH } from '../birthdays/people'
import { ERROR_RESPONSES, sendError } from '../plugins/errors'

// What String.prototype.trim() removes, and the control characters a name may not contain, spelled
// out so that the pattern means the same in every regex dialect (schemathesis reads it in Python).
const SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'
const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f'
const VISIBLE = `[^${SPACE}${CONTROL}]`
// 1 to MAX_NAME_LENGTH characters once trimmed, none of them a control character.
const NAME_PATTERN = `^[${SPACE}]*(?:${VISIBLE}|${VISIBLE}[^${CONTROL}]{0,${MAX_NAME_LENGTH - 2}}${VISIBLE})[${SPACE}]*$`
const NAME_RULE = `1 to ${MAX_NAME_LENGTH} characters, not counting surrounding spaces, and no control characters`

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
      response: { 200: NameGreeting, ...ERROR_RESPONSES }
    }
  }, async (request, reply) => {
    if (request.validationError) return sendError(reply, 400, `Invalid name: expected ${NAME_RULE}`)
    return { message: greetPerson(request.params.name.trim()) }
  })
}

export default nameRoutes
