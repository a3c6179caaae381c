import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { DATE_FORMAT_HINT, DAYS_OF_THE_YEAR, parseDayMonth, todayIn, type CalendarDay } from '../birthdays/calendar'
import { greetingsByDay } from '../birthdays/greetings'
import type { Person } from '../birthdays/people'
import { ErrorResponse, sendError } from '../plugins/errors'

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
  date: Type.String({ description: `Day and month: ${DATE_FORMAT_HINT}. The month may be a name in any case, its first three letters or its number.` })
})

const TodayQuery = Type.Object({
  tz: Type.String({ default: 'UTC', description: 'IANA time zone that decides what "today" is', examples: ['Europe/London'] })
})

export interface DateRoutesOptions {
  people: readonly Person[]
}

const dateRoutes: FastifyPluginAsyncTypebox<DateRoutesOptions> = async (app, { people }) => {
  // Every possible answer is built once here; a request only looks its day up.
  const greetings = greetingsByDay(people)
  const answers = DAYS_OF_THE_YEAR.map(({ index, day, month, monthName }) =>
    ({ ...greetings[index], date: { day, month, month_name: monthName } }))
  // Each day's JSON is serialised by the response schema once, on its first request, then reused.
  const answersAsJson: Array<ReturnType<FastifyReply['serialize']>> = []
  const sendAnswer = (reply: FastifyReply, { index }: CalendarDay) => reply
    .type('application/json; charset=utf-8')
    .send(answersAsJson[index] ??= reply.serialize(answers[index]))

  app.get('/date/today', {
    schema: {
      summary: 'Everyone whose birthday is today (in the time zone you choose)',
      tags: ['birthdays'],
      querystring: TodayQuery,
      response: { 200: DateGreeting, 400: ErrorResponse }
    }
  }, async (request, reply) => {
    const { tz } = request.query
    const today = todayIn(tz)
    if (!today) return sendError(reply, 400, `Unknown time zone '${tz}': expected an IANA zone such as Europe/London`)
    return sendAnswer(reply, today)
  })

  app.get('/date/:date', {
    schema: {
      summary: 'Everyone whose birthday is on a day of the year',
      tags: ['birthdays'],
      params: DateParams,
      response: { 200: DateGreeting, 400: ErrorResponse }
    }
  }, async (request, reply) => {
    const { date } = request.params
    const calendarDay = parseDayMonth(date)
    if (!calendarDay) return sendError(reply, 400, `Invalid date '${date}': expected ${DATE_FORMAT_HINT}`)
    return sendAnswer(reply, calendarDay)
  })
}

export default dateRoutes
