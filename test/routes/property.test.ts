import assert from 'node:assert/strict'
import fc from 'fast-check'
import t from 'tap'
import { DATE_FORMAT_HINT, DAYS_OF_THE_YEAR, parseDayMonth } from '../../src/birthdays/calendar'
import { NAME_RULE, findNameProblem } from '../../src/birthdays/names'
import { buildTestApp } from '../helpers/app'
import { getPath, listenOnLoopback } from '../helpers/http'
import { checkProperty } from '../helpers/property'

// The date and name routes, as a client reaches them: over a real socket, with the path as sent.

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

// Names from every corner of Unicode, with the characters the rule is about mixed in.
const RULE_CHARACTERS = [' ', '\t', '\u00a0', '\ufeff', '\u0000', '\u001b', '\u0085', '\u202e', '\u2066', '\u200b', '\u00ad', '\u200d', '\u200c', '🎂', 'é', '.', '%', '/']
const names = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 110 }),
  fc.string({ unit: fc.oneof(fc.constantFrom(...RULE_CHARACTERS), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })), maxLength: 104 })
)

t.test('over HTTP', async t => {
  const app = await buildTestApp(t)
  const port = await listenOnLoopback(app)
  const get = async (path: string) => {
    const { status, body } = await getPath(port, path)
    return { status, body: JSON.parse(body) }
  }

  t.test('every spelling of every day gives 200 and that day', async t => {
    await checkProperty(t, fc.asyncProperty(spelledDay, async ({ calendarDay, text }) => {
      const res = await get(`/date/${encodeURIComponent(text)}`)
      const { day, month, monthName } = calendarDay
      assert.deepEqual([res.status, res.body.date], [200, { day, month, month_name: monthName }])
    }))
  })

  t.test('anything that is not a day gives 400 with the expected form', async t => {
    await checkProperty(t, fc.asyncProperty(notADay, async text => {
      const res = await get(`/date/${encodeURIComponent(text)}`)
      assert.deepEqual([res.status, res.body], [400, { statusCode: 400, error: 'Bad Request', message: `Invalid date '${text}': expected ${DATE_FORMAT_HINT}` }])
    }), { examples: [['.'], ['..']] })
  })

  t.test('any name gives 200 with the trimmed name, or 400 when the name rule refuses it', async t => {
    await checkProperty(t, fc.asyncProperty(names, async name => {
      const res = await get(`/name/${encodeURIComponent(name)}`)
      const trimmed = name.trim()
      const expected = findNameProblem(trimmed) === undefined
        ? [200, { message: `Happy birthday ${trimmed}!` }]
        : [400, { statusCode: 400, error: 'Bad Request', message: `Invalid name: expected ${NAME_RULE}` }]
      assert.deepEqual([res.status, res.body], expected)
    }), { examples: [['.'], ['..'], ['Ada\u202e'], ['\u202eAda'], ['👨\u200d👩\u200d👧'], ['🎂'.repeat(100)], ['🎂'.repeat(101)]] })
  })
})
