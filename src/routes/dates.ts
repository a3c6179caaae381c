import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import * as Type from 'typebox'
import type { Static } from 'typebox'
import { DATE_FORMAT_HINT, DAY_PATTERN, MONTH_PATTERN, TIME_ZONE_PATTERN, parseDayMonth, resolveTimeZone, todayIn, type CalendarDay } from '../birthdays/calendar'
import type { BirthdayBook } from '../birthdays/birthday-book'
import { NAMED_BEFORE_THE_OTHERS, NAMED_IN_FULL_UP_TO, greetDay } from '../birthdays/greetings'
import { errorResponses, sendError } from '../plugins/errors'

/** How many people an answer lists when the request does not say, and at most. */
export const DEFAULT_PAGE_SIZE = 100
export const MAX_PAGE_SIZE = 1000

const DateGreeting = Type.Object({
  message: Type.String({
    description: `Everyone born that day, by name when they are ${NAMED_IN_FULL_UP_TO} or fewer; ` +
      `else the first ${NAMED_BEFORE_THE_OTHERS} by name, and how many others`,
    examples: ['Happy birthday to Stanley Tucci, Demi Moore and Leonardo DiCaprio!', 'Happy birthday to Ada, Alan, Grace and 2,997 others!']
  }),
  date: Type.Object({
    day: Type.Integer({ minimum: 1, maximum: 31 }),
    month: Type.Integer({ minimum: 1, maximum: 12 }),
    month_name: Type.String({ examples: ['November'] })
  }),
  people: Type.Array(Type.Object({
    name: Type.String(),
    born: Type.Integer({ description: 'Year of birth' })
  }), { description: 'Everyone born that day, oldest first, then by name: one page of them (limit and offset)' }),
  total: Type.Integer({ minimum: 0, description: 'How many people were born that day, on all pages' }),
  next: Type.Optional(Type.String({
    description: 'The URL of the next page, when there is one; also in the Link header',
    examples: ['/date/25-December?limit=100&offset=100']
  }))
})

const LINK_HEADER = { link: { type: 'string', description: 'The next page, when there is one: <URL>; rel="next"' } }

// A page of a day's people: as query parameters, their meaning in words for a bad value.
const PAGE_QUERY_ACCEPTS = {
  limit: `a whole number from 1 to ${MAX_PAGE_SIZE}`,
  offset: 'a whole number, 0 or more'
}
const PageQuery = {
  limit: Type.Optional(Type.Integer({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: `How many people to list, at most: ${PAGE_QUERY_ACCEPTS.limit}`
  })),
  offset: Type.Optional(Type.Integer({
    minimum: 0,
    default: 0,
    description: `How many people to skip, the oldest first: ${PAGE_QUERY_ACCEPTS.offset}. The answer's "next" gives the next page's`
  }))
}

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
  })),
  ...PageQuery
})

const DateQuery = Type.Object(PageQuery)
type PageRequest = Partial<Static<typeof DateQuery>>

export interface DateRoutesOptions {
  people: BirthdayBook
  /** What time it is, for /date/today. */
  clock: () => Date
}

const dateRoutes: FastifyPluginAsyncTypebox<DateRoutesOptions> = async (app, { people, clock }) => {
  // A day's greeting, and its first page as JSON (what almost every request asks for), are made
  // on the day's first request and then reused: nothing is worked out for days nobody asks for.
  const greetings: string[] = []
  const page = ({ index, day, month, monthName }: CalendarDay, { limit = DEFAULT_PAGE_SIZE, offset = 0 }: PageRequest) => {
    const total = people.countOn(index)
    const nextOffset = offset + limit
    greetings[index] ??= greetDay(people, index)
    return {
      message: greetings[index],
      date: { day, month, month_name: monthName },
      people: people.bornOn(index, offset, limit),
      total,
      next: nextOffset < total ? `/date/${day}-${monthName}?limit=${limit}&offset=${nextOffset}` : undefined
    }
  }
  const prepare = (reply: FastifyReply, calendarDay: CalendarDay, query: PageRequest) => {
    const answer = page(calendarDay, query)
    return { json: reply.serialize(answer), link: answer.next && `<${answer.next}>; rel="next"` }
  }
  const firstPages: Array<ReturnType<typeof prepare>> = []
  const sendPage = (reply: FastifyReply, calendarDay: CalendarDay, query: PageRequest) => {
    // The query's defaults are filled in by its validation.
    const isFirstPage = query.limit === DEFAULT_PAGE_SIZE && !query.offset
    const { json, link } = isFirstPage ? firstPages[calendarDay.index] ??= prepare(reply, calendarDay, {}) : prepare(reply, calendarDay, query)
    if (link) reply.header('link', link)
    return reply.type('application/json; charset=utf-8').send(json)
  }

  // A failed check reaches the handler (attachValidation), which says what was expected. The
  // handlers are synchronous: nothing in them waits, and a promise per request would cost.
  app.get('/date/today', {
    attachValidation: true,
    schema: {
      summary: 'Everyone whose birthday is today (in the time zone you choose)',
      tags: ['birthdays'],
      querystring: TodayQuery,
      response: { 200: { ...DateGreeting, headers: LINK_HEADER }, ...errorResponses(400) }
    }
  }, (request, reply) => {
    const { tz = DEFAULT_TIME_ZONE } = request.query
    const queryProblem = request.validationError && pageQueryProblem(request.validationError, request.query)
    const timeZone = request.validationError ? undefined : resolveTimeZone(tz)
    if (queryProblem) sendError(reply, 400, queryProblem)
    else if (timeZone === undefined) sendError(reply, 400, `Unknown time zone '${tz}': expected an IANA zone such as Europe/London`)
    else sendPage(reply, todayIn(timeZone, clock()), request.query)
  })

  app.get('/date/:day-:month', {
    attachValidation: true,
    schema: {
      summary: 'Everyone whose birthday is on a day of the year',
      tags: ['birthdays'],
      params: DateParams,
      querystring: DateQuery,
      response: { 200: { ...DateGreeting, headers: LINK_HEADER }, ...errorResponses(400) }
    }
  }, (request, reply) => {
    const queryProblem = request.validationError && pageQueryProblem(request.validationError, request.query)
    const date = `${request.params.day}-${request.params.month}`
    const calendarDay = request.validationError ? undefined : parseDayMonth(date)
    if (queryProblem) sendError(reply, 400, queryProblem)
    else if (calendarDay) sendPage(reply, calendarDay, request.query)
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

// What is wrong with limit or offset, when that is what failed the check; undefined otherwise.
function pageQueryProblem ({ validationContext, validation }: { validationContext: string, validation: Array<{ instancePath: string }> }, query: Record<string, unknown>): string | undefined {
  const name = validation[0]?.instancePath.slice(1)
  if (validationContext !== 'querystring' || !(name === 'limit' || name === 'offset')) return undefined
  return `Invalid ${name} '${query[name]}': expected ${PAGE_QUERY_ACCEPTS[name]}`
}

export default dateRoutes
