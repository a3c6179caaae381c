import t from 'tap'
import { resolveTimeZone } from '../../src/birthdays/calendar'
import { buildTestApp } from '../helpers/app'
import { ianaTimeZoneNames } from '../helpers/time-zones'

t.test('GET /date/:day-:month greets everyone born that day, oldest first', async t => {
  const app = await buildTestApp(t)
  const res = await app.inject('/date/11-November')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const body = res.json()
  t.same(body.date, { day: 11, month: 11, month_name: 'November' })
  t.equal(body.message, 'Happy birthday to Stanley Tucci, Demi Moore and Leonardo DiCaprio!', 'the workshop\'s example, word for word')
  t.same(body.people, [{ name: 'Stanley Tucci', born: 1960 }, { name: 'Demi Moore', born: 1962 }, { name: 'Leonardo DiCaprio', born: 1974 }])
})

t.test('the workshop examples', async t => {
  const app = await buildTestApp(t)
  t.equal((await app.inject('/date/2-November')).json().message, 'Happy birthday to David Schwimmer!')
  const christmas = (await app.inject('/date/25-December')).json()
  t.match(christmas.message, 'Humphrey Bogart')
  t.match(christmas.message, 'Annie Lennox')
  t.equal(christmas.people[0].name, 'Clara Barton', 'the oldest comes first')
})

t.test('every spelling of a day gives the same answer', async t => {
  const app = await buildTestApp(t)
  const expected = (await app.inject('/date/25-December')).body
  for (const spelling of ['25-december', '25-DECEMBER', '25-Dec', '25-12', '25-dEcEmBeR']) {
    t.equal((await app.inject(`/date/${spelling}`)).body, expected, spelling)
  }
  t.same((await app.inject('/date/02-May')).json().date, { day: 2, month: 5, month_name: 'May' })
  t.same((await app.inject('/date/29-February')).json().date, { day: 29, month: 2, month_name: 'February' })
})

t.test('a day nobody was born on says so', async t => {
  const app = await buildTestApp(t, { people: [{ name: 'Ada Lovelace', born: 1815, month: 12, day: 10 }] })
  t.same((await app.inject('/date/11-December')).json(), {
    message: "It doesn't look like I know of anyone with that birthday!",
    date: { day: 11, month: 12, month_name: 'December' },
    people: []
  })
  t.same((await app.inject('/date/10-December')).json().message, 'Happy birthday to Ada Lovelace!')
})

t.test('a date that is not a day of the year is a 400 that shows the expected form', async t => {
  const app = await buildTestApp(t)
  for (const date of ['30-February', '31-April', '0-May', '32-May', '25-Smarch', '25', '25-12-2020', '-May', '25-', '']) {
    const res = await app.inject(`/date/${date}`)
    t.equal(res.statusCode, 400, date)
    t.same(res.json(), { statusCode: 400, error: 'Bad Request', message: `Invalid date '${date}': expected {day}-{Month}, e.g. 2-May` })
  }
})

t.test('GET /date/today is today in UTC unless a zone is given', async t => {
  // 23:30 UTC on New Year's Eve: already New Year's Day east of London, still the 31st west of it.
  const app = await buildTestApp(t, { clock: () => new Date('2026-12-31T23:30:00Z') })
  for (const [query, zone, date] of [
    ['', 'UTC', '31-12'],
    ['?tz=Europe/London', 'Europe/London', '31-12'],
    ['?tz=Europe/Berlin', 'Europe/Berlin', '1-1'],
    ['?tz=Pacific/Kiritimati', 'Pacific/Kiritimati', '1-1'],
    ['?tz=Pacific/Pago_Pago', 'Pacific/Pago_Pago', '31-12']
  ]) {
    const res = await app.inject(`/date/today${query}`)
    t.equal(res.statusCode, 200, zone)
    const [day, month] = date.split('-').map(Number)
    t.match(res.json().date, { day, month }, `${zone}: ${date}`)
    t.same(res.json(), (await app.inject(`/date/${date}`)).json(), 'the same answer as the date route')
  }
})

t.test('every time zone name the runtime knows is accepted, current or older', async t => {
  const app = await buildTestApp(t)
  const statusOf = async (zone: string) => (await app.inject({ url: '/date/today', query: { tz: zone } })).statusCode
  for (const zone of ['Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv', 'Europe/Kiev', 'Asia/Kathmandu', 'Asia/Ho_Chi_Minh',
    'America/Argentina/Buenos_Aires', 'Etc/UTC', 'GMT', 'UTC', 'Etc/GMT+5', 'europe/london']) {
    t.equal(await statusOf(zone), 200, zone)
  }
  const database = ianaTimeZoneNames()
  const known = database.filter(zone => resolveTimeZone(zone) !== undefined)
  t.comment(`${known.length} of the ${database.length} names in ${database.source} are known to Node.js ${process.version}`)
  const refused = []
  for (const zone of known) if (await statusOf(zone) !== 200) refused.push(zone)
  t.same(refused, [], 'every one of them is accepted')
})

t.test('an unknown time zone is a 400', async t => {
  const app = await buildTestApp(t)
  for (const zone of ['Mars/Olympus_Mons', '', 'Europe%2F..%2F..', '%2B05:30', 'A'.repeat(65)]) {
    const res = await app.inject(`/date/today?tz=${zone}`)
    t.equal(res.statusCode, 400, zone)
    t.match(res.json(), { statusCode: 400, error: 'Bad Request', message: /^Unknown time zone '.*': expected an IANA zone such as Europe\/London$/ })
  }
})
