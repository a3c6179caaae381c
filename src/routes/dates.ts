import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { DATE_FORMAT_HINT, DAY_PATTERN, DAYS_OF_THE_YEAR, MONTH_PATTERN, TIME_ZONE_PATTERN, parseDayMonth, resolveTimeZone, todayIn, type CalendarDay } from '../birthdays/calendar'
import { greetingsByDay } from '../birthdays/greetings'
import type { Person } from '../birthdays/people'
import { errorResponses, sendError } from '../http-errors'

const DateGreeting = Type.Object({
  message: Type.String({ examples: ['Happy birthday to Stanley Tucci, Demi Moore and Leonardo DiCaprio!'] }),
  date: Type.Object({
    day: Type.Integer({ minimum: 1, maximum: 31 }),
    month: Type.Integer({ minimum: 1, maximum: 12 }),
    month_name: Type.String({ examples: ['November'] })
  }),
  people: Type.Array(Type.Object({
    name: Type.String(),
    born: Type.Integer({ description: 'Year of birth' })
  }), { description: 'Everyone born that day, oldest first' })
})

const DateParams = Type.Object({
  day: Type.String({ pattern: DAY_PATTERN, description: 'The day of the month, 1 to 31, with or without a leading zero', examples: ['25', '02'] }),
  month: Type.String({
    pattern: MONTH_PATTERN,
    description: 'The month: its English name in any case, its first three letters or its number. ' +
      `Together, ${DATE_FORMAT_HINT}; a day that the month does not have (30-February) is a 400.`,
    examples: ['December', 'may', 'Feb', '11']
  })
})

const DEFAULT_TIME_ZONE = 'UTC'
const TodayQuery = Type.Object({
  tz: Type.Optional(Type.String({
    pattern: TIME_ZONE_PATTERN,
    maxLength: 64,
    default: DEFAULT_TIME_ZONE,
    description: 'The time zone that decides what "today" is: any name of the IANA time zone database that the server knows, ' +
      'current or older (Asia/Kolkata and Asia/Calcutta), in any case. Another name is a 400.',
    examples: ['Europe/London', 'Asia/Kolkata', 'America/Argentina/Buenos_Aires']
  }))
})

export interface DateRoutesOptions {
  people: readonly Person[]
  /** What time it is, for /date/today. */
  clock: () => Date
}

const dateRoutes: FastifyPluginAsyncTypebox<DateRoutesOptions> = async (app, { people, clock }) => {
  // Every possible answer is built once here; a request only looks its day up.
  const greetings = greetingsByDay(people)
  const answers = DAYS_OF_THE_YEAR.map(({ index, day, month, monthName }) =>
    ({ ...greetings[index], date: { day, month, month_name: monthName } }))
  // Each day's JSON is serialised by the response schema once, on its first request, then reused.
  const answersAsJson: Array<ReturnType<FastifyReply['serialize']>> = []
  const sendAnswer = (reply: FastifyReply, { index }: CalendarDay) => reply
    .type('application/json; charset=utf-8')
    .send(answersAsJson[index] ??= reply.serialize(answers[index]))

  // A failed check reaches the handler (attachValidation), which says what was expected. The
  // handlers are synchronous: nothing in them waits, and a promise per request would cost.
  app.get('/date/today', {
    attachValidation: true,
    schema: {
      summary: 'Everyone whose birthday is today (in the time zone you choose)',
      tags: ['birthdays'],
      querystring: TodayQuery,
      response: { 200: DateGreeting, ...errorResponses(400) }
    }
  }, (request, reply) => {
    const { tz = DEFAULT_TIME_ZONE } = request.query
    const timeZone = request.validationError ? undefined : resolveTimeZone(tz)
    if (timeZone === undefined) sendError(reply, 400, `Unknown time zone '${tz}': expected an IANA zone such as Europe/London`)
    else sendAnswer(reply, todayIn(timeZone, clock()))
  })

  app.get('/date/:day-:month', {
    attachValidation: true,
    schema: {
      summary: 'Everyone whose birthday is on a day of the year',
      tags: ['birthdays'],
      params: DateParams,
      response: { 200: DateGreeting, ...errorResponses(400) }
    }
  }, (request, reply) => {
    const date = `${request.params.day}-${request.params.month}`
    const calendarDay = request.validationError ? undefined : parseDayMonth(date)
    if (calendarDay) sendAnswer(reply, calendarDay)
    else sendInvalidDate(reply, date)
  })

  // Any other path under /date/, which the route above cannot split into a day and a month
  // (/date/25, /date/, /date/25/December), is an invalid date too, not an unknown route.
  app.get('/date/*', { schema: { hide: true } }, (request, reply) => {
    sendInvalidDate(reply, (request.params as { '*': string })['*'])
  })
}

function sendInvalidDate (reply: FastifyReply, date: string) {
  return sendError(reply, 400, `Invalid date '${date}': expected ${DATE_FORMAT_HINT}`)
}

export default dateRoutes
