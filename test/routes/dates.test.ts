import t from 'tap'
import { BirthdayBook } from '../../src/birthdays/birthday-book'
import { DAYS_OF_THE_YEAR, resolveTimeZone } from '../../src/birthdays/calendar'
import { joinInEnglish } from '../../src/birthdays/greetings'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/routes/dates'
import { buildTestApp } from '../helpers/app'
import { readBundledPeople } from '../helpers/people'
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
  const app = await buildTestApp(t, { people: BirthdayBook.of([{ name: 'Ada Lovelace', born: 1815, month: 12, day: 10 }]) })
  t.same((await app.inject('/date/11-December')).json(), {
    message: "It doesn't look like I know of anyone with that birthday!",
    date: { day: 11, month: 12, month_name: 'December' },
    people: [],
    total: 0
  })
  t.same((await app.inject('/date/10-December')).json().message, 'Happy birthday to Ada Lovelace!')
})

t.test('with the bundled people, every day is one page: everyone, named in the greeting, no next page', async t => {
  const app = await buildTestApp(t)
  const compareNames = new Intl.Collator('en').compare
  const bundled = [...await readBundledPeople()]
  for (const { day, month, monthName } of DAYS_OF_THE_YEAR) {
    const res = await app.inject(`/date/${day}-${monthName}`)
    const people = bundled.filter(person => person.month === month && person.day === day)
      .sort((a, b) => a.born - b.born || compareNames(a.name, b.name)).map(({ name, born }) => ({ name, born }))
    t.same(res.json(), {
      message: `Happy birthday to ${joinInEnglish(people.map(person => person.name))}!`,
      date: { day, month, month_name: monthName },
      people,
      total: people.length
    }, `${day}-${monthName}: ${people.length}`)
    t.notOk(res.headers.link, 'no Link header')
  }
})

t.test('a busy day comes in pages: limit, offset, next and the Link header', async t => {
  const people = BirthdayBook.of(Array.from({ length: 250 }, (_, i) => ({ name: `Person ${String(i).padStart(3, '0')}`, born: 2000, month: 3, day: 1 })))
  const app = await buildTestApp(t, { people })
  const first = await app.inject('/date/1-March')
  t.equal(first.json().message, 'Happy birthday to Person 000, Person 001, Person 002 and 247 others!')
  t.equal(first.json().total, 250)
  t.equal(first.json().people.length, DEFAULT_PAGE_SIZE, 'a page of the default size')
  t.equal(first.json().next, '/date/1-March?limit=100&offset=100')
  t.equal(first.headers.link, '</date/1-March?limit=100&offset=100>; rel="next"')

  const everyone = []
  const messages = new Set()
  for (let url: string | undefined = '/date/01-mar?limit=30'; url !== undefined;) {
    const body: { people: Array<{ name: string }>, message: string, next?: string } = (await app.inject(url)).json()
    t.ok(body.people.length <= 30, `${url}: ${body.people.length}`)
    everyone.push(...body.people)
    messages.add(body.message)
    url = body.next
  }
  t.same(everyone.map(person => person.name), Array.from({ length: 250 }, (_, i) => `Person ${String(i).padStart(3, '0')}`), 'following next gives everyone once, in order')
  t.equal(messages.size, 1, 'every page has the day\'s greeting')

  const last = await app.inject('/date/1-March?limit=100&offset=200')
  t.equal(last.json().people.length, 50)
  t.notOk('next' in last.json() || last.headers.link, 'the last page has no next')
  t.same((await app.inject('/date/1-March?offset=250')).json().people, [], 'past the end: nobody, and still the total')
  t.equal((await app.inject(`/date/1-March?limit=${MAX_PAGE_SIZE}`)).json().people.length, 250, 'the largest page')
})

t.test('/date/today pages too, and its next page is that date', async t => {
  const people = BirthdayBook.of(Array.from({ length: 5 }, (_, i) => ({ name: `Person ${i}`, born: 2000, month: 12, day: 31 })))
  const app = await buildTestApp(t, { people, clock: () => new Date('2026-12-31T12:00:00Z') })
  const res = await app.inject('/date/today?limit=2&offset=2')
  t.same(res.json().people.map((person: { name: string }) => person.name), ['Person 2', 'Person 3'])
  t.equal(res.json().next, '/date/31-December?limit=2&offset=4')
  t.equal(res.headers.link, '</date/31-December?limit=2&offset=4>; rel="next"')
})

// An error names what was wrong (the parameter and the value given) and what is expected; its
// exact wording is the code's.
const saysWhatIsWrong = (message: string, parameter: string, value: string, expected: RegExp) =>
  message.includes(parameter) && message.includes(`'${value}'`) && expected.test(message)

t.test('a bad limit or offset is a 400 that says what is expected', async t => {
  const app = await buildTestApp(t)
  const wholeNumberInRange = new RegExp(`whole number from 1 to ${MAX_PAGE_SIZE}`)
  for (const route of ['/date/25-December', '/date/today']) {
    for (const [query, parameter, value, expected] of [
      ['limit=0', 'limit', '0', wholeNumberInRange],
      [`limit=${MAX_PAGE_SIZE + 1}`, 'limit', String(MAX_PAGE_SIZE + 1), wholeNumberInRange],
      ['limit=ten', 'limit', 'ten', wholeNumberInRange],
      ['limit=1.5', 'limit', '1.5', wholeNumberInRange],
      ['offset=-1', 'offset', '-1', /whole number, 0 or more/],
      ['offset=', 'offset', '', /whole number, 0 or more/]
    ] as const) {
      const res = await app.inject(`${route}?${query}`)
      t.match(res.json(), { statusCode: 400, error: 'Bad Request' }, `${route}?${query}`)
      t.ok(saysWhatIsWrong(res.json().message, parameter, value, expected), res.json().message)
    }
  }
  t.match((await app.inject('/date/30-February?limit=0')).json().message, /^Invalid (date|limit)/, 'a bad date and a bad limit: one of them is said')
})

t.test('a date that is not a day of the year is a 400 that shows the expected form', async t => {
  const app = await buildTestApp(t)
  for (const date of ['30-February', '31-April', '0-May', '32-May', '25-Smarch', '25', '25-12-2020', '-May', '25-', '']) {
    const res = await app.inject(`/date/${date}`)
    t.match(res.json(), { statusCode: 400, error: 'Bad Request' }, date)
    t.ok(saysWhatIsWrong(res.json().message, 'date', date, /\{day\}-\{Month\}, e\.g\. 2-May/), res.json().message)
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
  t.ok(known.length > 300, `${known.length} of the ${database.length} names in ${database.source} are known to Node.js ${process.version}`)
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
