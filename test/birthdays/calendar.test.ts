import t from 'tap'
import { DATE_FORMAT_HINT, DAY_PATTERN, DAYS_OF_THE_YEAR, MONTH_PATTERN, TIME_ZONE_PATTERN, parseDayMonth, resolveTimeZone, todayIn } from '../../src/birthdays/calendar'
import { ianaTimeZoneNames } from '../helpers/time-zones'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

t.test('the year has 366 days, 29 February included, in order', async t => {
  t.equal(DAYS_OF_THE_YEAR.length, 366)
  t.same(DAYS_OF_THE_YEAR[0], { index: 0, day: 1, month: 1, monthName: 'January' })
  t.same(DAYS_OF_THE_YEAR[59], { index: 59, day: 29, month: 2, monthName: 'February' })
  t.same(DAYS_OF_THE_YEAR[365], { index: 365, day: 31, month: 12, monthName: 'December' })
  // Checked against the runtime's own calendar and its English month names (ICU).
  const wrong = DAYS_OF_THE_YEAR.filter(({ index, day, month, monthName }) => {
    const date = new Date(Date.UTC(2000, 0, 1 + index))
    return day !== date.getUTCDate() || month !== date.getUTCMonth() + 1 ||
      monthName !== date.toLocaleString('en', { month: 'long', timeZone: 'UTC' })
  })
  t.same(wrong, [], 'every day as the runtime\'s calendar has it')
})

t.test('every day of the year parses in every accepted spelling', async t => {
  for (const expected of DAYS_OF_THE_YEAR) {
    const name = MONTHS[expected.month - 1]
    const padded = String(expected.day).padStart(2, '0')
    const spellings = [
      `${expected.day}-${name}`, `${padded}-${name}`, `${expected.day}-${name.toLowerCase()}`,
      `${expected.day}-${name.toUpperCase()}`, `${expected.day}-${name.slice(0, 3)}`, `${padded}-${name.slice(0, 3).toLowerCase()}`,
      `${expected.day}-${expected.month}`, `${padded}-${String(expected.month).padStart(2, '0')}`
    ]
    for (const spelling of spellings) {
      if (parseDayMonth(spelling) !== expected) t.fail(`${spelling} should be ${expected.day} ${name}`)
    }
  }
  t.equal(parseDayMonth('25-December'), DAYS_OF_THE_YEAR[359])
  t.equal(parseDayMonth('29-February')?.monthName, 'February')
})

t.test('anything else is not a date', async t => {
  const invalid = ['30-February', '31-April', '31-June', '31-September', '31-November', '0-May', '32-May', '25-Smarch',
    '25', '25-12-2020', '-May', '25-', '', '-', 'today', 'May-25', '25 December', ' 25-December', '25-December ',
    '25-Decem', '25-Decembre', '25-13', '25-0', '025-12', '25-012', '1e1-May', '+2-May', '2.0-May', '２-May']
  for (const text of invalid) t.equal(parseDayMonth(text), undefined, `"${text}" is rejected`)
})

t.test('the format hint\'s example is a date', async t => {
  const example = DATE_FORMAT_HINT.match(/e\.g\. (\S+)$/)?.[1] ?? ''
  t.ok(parseDayMonth(example), example)
})

t.test('today depends on the time zone', async t => {
  const lateOnNewYearsEve = new Date('2026-12-31T23:30:00Z')
  t.same(todayIn('UTC', lateOnNewYearsEve), { index: 365, day: 31, month: 12, monthName: 'December' })
  t.same(todayIn('Europe/Berlin', lateOnNewYearsEve), { index: 0, day: 1, month: 1, monthName: 'January' })
  t.same(todayIn('America/New_York', lateOnNewYearsEve)?.day, 31)
  t.same(todayIn('Asia/Tokyo', new Date('2028-02-28T20:00:00Z'))?.day, 29, 'leap day in a leap year')
})

t.test('every IANA name of a zone resolves, current or older, in any case', async t => {
  const zones: Array<[string, string]> = [
    ['Asia/Kolkata', 'Asia/Calcutta'], ['Europe/Kyiv', 'Europe/Kiev'], ['Asia/Kathmandu', 'Asia/Katmandu'],
    ['Asia/Ho_Chi_Minh', 'Asia/Saigon'], ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires'], ['Etc/UTC', 'UTC'], ['GMT', 'UTC']
  ]
  for (const [name, alias] of zones) {
    const resolved = resolveTimeZone(name)
    t.ok(resolved, name)
    t.equal(resolveTimeZone(alias), resolved, `${alias} is the same zone as ${name}`)
  }
  t.equal(resolveTimeZone('europe/LONDON'), resolveTimeZone('Europe/London'))
  for (const name of ['Mars/Olympus_Mons', 'Europe/Londinium', '', '+05:30']) t.equal(resolveTimeZone(name), undefined, JSON.stringify(name))
})

t.test('the time zone pattern admits every name of the time zone database, and no offsets or paths', async t => {
  const pattern = new RegExp(TIME_ZONE_PATTERN)
  const names = ianaTimeZoneNames()
  t.ok(names.length > 300, `${names.length} names from ${names.source}`)
  for (const name of [...names, 'UTC', 'Etc/GMT+5', 'America/Port-au-Prince']) if (!pattern.test(name)) t.fail(name)
  for (const text of ['+05:30', '-03', '../etc/passwd', 'Europe/', '/London', 'Europe//London', 'Europe/London ', '']) t.notOk(pattern.test(text), JSON.stringify(text))
})

t.test('the day and month patterns admit exactly the parts of the dates that parse', async t => {
  const dayPattern = new RegExp(DAY_PATTERN)
  const monthPattern = new RegExp(MONTH_PATTERN)
  const days = ['1', '01', '9', '09', '10', '29', '30', '31', '0', '00', '32', '010', '1e1', '+2', '2.0', ' 2', '', '２']
  const months = [...MONTHS, ...MONTHS.map(name => name.slice(0, 3).toUpperCase()), 'may', 'dEcEmBeR', '1', '01', '9', '09', '12',
    '0', '13', '010', 'Smarch', 'Febr', 'Sept', 'Decembre', '', 'December ']
  for (const day of days) {
    for (const month of months) {
      const text = `${day}-${month}`
      const parts = dayPattern.test(day) && monthPattern.test(month)
      const parsed = parseDayMonth(text)
      // Parts that match and do not parse are a day the month lacks, such as 30-February.
      if (parsed ? !parts : parts && Number(day) <= 29) t.fail(`"${text}": patterns ${parts}, parses ${parsed !== undefined}`)
    }
  }
  t.notOk(parseDayMonth('30-February'), 'both parts match, and February has no 30th')
  t.ok(dayPattern.test('30') && monthPattern.test('February'))
})
