// The peer a user would pick instead: Express 5, doing the same lookup from the same data
// (src/data/people.csv through the same domain code). Bundled and run by run.mjs; not part of
// the product.
import { readFileSync } from 'node:fs'
import express from 'express'
import { DATE_FORMAT_HINT, DAYS_OF_THE_YEAR, parseDayMonth } from '../../src/birthdays/calendar'
import { greetingsByDay } from '../../src/birthdays/greetings'
import { parsePeople } from '../../src/birthdays/people'

const people = parsePeople(readFileSync(process.env.PEOPLE_FILE as string, 'utf8'), 'people.csv')
const greetings = greetingsByDay(people)
const answers = DAYS_OF_THE_YEAR.map(({ index, day, month, monthName }) =>
  ({ message: greetings[index].message, date: { day, month, month_name: monthName }, people: greetings[index].people }))

const app = express()
app.get('/version', (_request, response) => {
  response.json({ version: 'express', build_time: '', commit: '' })
})
app.get('/date/:date', (request, response) => {
  const calendarDay = parseDayMonth(request.params.date)
  if (!calendarDay) {
    response.status(400).json({ statusCode: 400, error: 'Bad Request', message: `Invalid date '${request.params.date}': expected ${DATE_FORMAT_HINT}` })
    return
  }
  response.json(answers[calendarDay.index])
})
app.listen(Number(process.env.PORT), '127.0.0.1')
