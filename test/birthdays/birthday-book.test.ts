import assert from 'node:assert/strict'
import fc from 'fast-check'
import t from 'tap'
import { BirthdayBook, type Person } from '../../src/birthdays/birthday-book'
import { DAYS_OF_THE_YEAR, calendarDayOf } from '../../src/birthdays/calendar'
import { checkProperty } from '../helpers/property'

const dayOf = (month: number, day: number) => calendarDayOf(month, day)!.index

t.test('a day lists its people oldest first, then by name, in pages', async t => {
  const book = BirthdayBook.of([
    { name: 'Zoe', born: 1990, month: 3, day: 1 },
    { name: 'adam', born: 1990, month: 3, day: 1 },
    { name: 'Émile', born: 1990, month: 3, day: 1 },
    { name: 'Old Timer', born: 1901, month: 3, day: 1 },
    { name: 'Other Day', born: 1950, month: 3, day: 2 }
  ])
  t.equal(book.size, 5)
  t.equal(book.countOn(dayOf(3, 1)), 4)
  t.equal(book.countOn(dayOf(1, 1)), 0)
  t.same(book.bornOn(dayOf(3, 1)).map(person => person.name), ['Old Timer', 'adam', 'Émile', 'Zoe'], 'names in English order, not by code point')
  t.same(book.bornOn(dayOf(3, 1), 1, 2), [{ name: 'adam', born: 1990 }, { name: 'Émile', born: 1990 }], 'a page')
  t.same(book.bornOn(dayOf(3, 1), 3, 100), [{ name: 'Zoe', born: 1990 }], 'the last page')
  t.same(book.bornOn(dayOf(3, 1), 4), [], 'past the end')
  t.same(book.bornOn(dayOf(1, 1)), [], 'nobody')
  t.same([...book].map(person => person.name), ['Zoe', 'adam', 'Émile', 'Old Timer', 'Other Day'], 'everyone, in the order given')
})

t.test('the same person twice is found: the first pair; the same name on another date is another person', async t => {
  t.same(BirthdayBook.of([
    { name: 'Ada', born: 1815, month: 12, day: 10 },
    { name: 'Ada', born: 1815, month: 12, day: 11 },
    { name: 'Ada', born: 1816, month: 12, day: 10 },
    { name: 'ADA', born: 1815, month: 12, day: 10 },
    { name: 'Bob', born: 1900, month: 1, day: 1 },
    { name: 'ada', born: 1815, month: 12, day: 10 },
    { name: 'bob', born: 1900, month: 1, day: 1 }
  ]).findDuplicate(), { first: 0, second: 3 })
  t.equal(BirthdayBook.of([{ name: 'Ada', born: 1815, month: 12, day: 10 }, { name: 'Ada', born: 1815, month: 12, day: 11 }]).findDuplicate(), undefined)
  t.throws(() => BirthdayBook.of([{ name: 'Ada', born: 1815, month: 2, day: 30 }]), RangeError, 'not a day of the year')
})

// People on few days and few years, with names from a small alphabet: many share a day, a year
// and a name, so that pages, order and duplicates are all put to the test.
const person = fc.record({
  name: fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'é', 'É', 'K', '\u212A'), minLength: 1, maxLength: 3 }),
  born: fc.integer({ min: 1990, max: 1992 }),
  month: fc.constant(6),
  day: fc.integer({ min: 1, max: 3 })
}).map(person => ({ ...person })) // a plain object, as a book holds them (fast-check's have no prototype)
const sameDay = (a: Person, b: Person) => a.month === b.month && a.day === b.day
const samePerson = (a: Person, b: Person) => sameDay(a, b) && a.born === b.born && a.name.toLowerCase() === b.name.toLowerCase()

t.test('property: a book is everyone given, each day in order and in whole pages, and its first duplicate', async t => {
  // node:assert inside the property: a failure throws, so that fast-check shrinks it to the
  // smallest case, and the run is one assertion, not one per case.
  await checkProperty(t, fc.asyncProperty(fc.array(person, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), async (people, pageSize) => {
    const book = BirthdayBook.of(people)
    const second = people.findIndex((person, i) => people.slice(0, i).some(other => samePerson(other, person)))
    assert.deepEqual(book.findDuplicate(), second === -1 ? undefined : { first: people.findIndex(other => samePerson(other, people[second])), second })
    assert.deepEqual([...book], people)
    const compareNames = new Intl.Collator('en').compare
    for (const { index, month, day } of DAYS_OF_THE_YEAR.filter(({ month }) => month === 6)) {
      const expected = people.filter(p => p.month === month && p.day === day)
        .sort((a, b) => a.born - b.born || compareNames(a.name, b.name)).map(({ name, born }) => ({ name, born }))
      assert.equal(book.countOn(index), expected.length)
      const pages = []
      for (let offset = 0; offset < expected.length; offset += pageSize) pages.push(...book.bornOn(index, offset, pageSize))
      assert.deepEqual(pages, expected)
    }
  }))
})
