import fc from 'fast-check'
import t from 'tap'
import { DATE_FORMAT_HINT, DAYS_OF_THE_YEAR, parseDayMonth } from '../../src/birthdays/calendar'
import { MAX_NAME_LENGTH } from '../../src/birthdays/people'
import { buildTestApp } from '../helpers/app'

const RUNS = 300

// Any accepted spelling of a day: day with or without a leading zero; month as its name, its
// first three letters or its number (with or without a leading zero), in any mix of cases.
const spelledDay = fc.record({
  calendarDay: fc.constantFrom(...DAYS_OF_THE_YEAR),
  padDay: fc.boolean(),
  monthForm: fc.constantFrom('name', 'short', 'number', 'padded'),
  upper: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 })
}).map(({ calendarDay, padDay, monthForm, upper }) => {
  const { day, month, monthName } = calendarDay
  const monthText = { name: monthName, short: monthName.slice(0, 3), number: String(month), padded: String(month).padStart(2, '0') }[monthForm]!
  const anyCase = [...monthText].map((letter, i) => upper[i] ? letter.toUpperCase() : letter.toLowerCase()).join('')
  return { calendarDay, text: `${padDay ? String(day).padStart(2, '0') : day}-${anyCase}` }
})

// Things that look like dates and are not, and anything at all.
const notADay = fc.oneof(
  fc.record({ day: fc.integer({ min: -5, max: 99 }), month: fc.oneof(fc.integer({ min: -1, max: 20 }).map(String), fc.constantFrom('Smarch', 'Decembre', 'Sept', 'Febr', '')) })
    .map(({ day, month }) => `${day}-${month}`),
  fc.string(),
  fc.string({ unit: 'binary' })
).filter(text => parseDayMonth(text) === undefined)

t.test('every spelling of every day gives 200 and that day', async t => {
  const app = await buildTestApp(t)
  await fc.assert(fc.asyncProperty(spelledDay, async ({ calendarDay, text }) => {
    const res = await app.inject(`/date/${encodeURIComponent(text)}`)
    t.equal(res.statusCode, 200, text)
    const { day, month, monthName } = calendarDay
    t.same(res.json().date, { day, month, month_name: monthName }, text)
  }), { numRuns: RUNS })
})

t.test('anything that is not a day gives 400 with the expected form', async t => {
  const app = await buildTestApp(t)
  await fc.assert(fc.asyncProperty(notADay, async text => {
    const res = await app.inject(`/date/${encodeURIComponent(text)}`)
    t.equal(res.statusCode, 400, JSON.stringify(text))
    t.same(res.json(), { statusCode: 400, error: 'Bad Request', message: `Invalid date '${text}': expected ${DATE_FORMAT_HINT}` })
  }), { numRuns: RUNS })
})

t.test('any name gives 200 with the trimmed name, or 400 when it is empty, too long or has control characters', async t => {
  const app = await buildTestApp(t)
  const names = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 110 }), fc.string({ maxLength: 5 }).map(s => ` \t${s}\u00a0`))
  await fc.assert(fc.asyncProperty(names, async name => {
    const res = await app.inject(`/name/${encodeURIComponent(name)}`)
    const trimmed = name.trim()
    const valid = [...trimmed].length >= 1 && [...trimmed].length <= MAX_NAME_LENGTH && !/\p{Cc}/u.test(trimmed)
    t.equal(res.statusCode, valid ? 200 : 400, JSON.stringify(name))
    t.equal(res.json().message, valid ? `Happy birthday ${trimmed}!` : `Invalid name: expected 1 to ${MAX_NAME_LENGTH} characters, not counting surrounding spaces, and no control characters`)
  }), { numRuns: RUNS })
})
