import t from 'tap'
import { DAYS_OF_THE_YEAR, parseDayMonth } from '../../src/birthdays/calendar'
import { NOBODY_BORN_MESSAGE, greetPerson, greetingsByDay, joinInEnglish } from '../../src/birthdays/greetings'

t.test('names are joined as English', async t => {
  t.equal(joinInEnglish([]), '')
  t.equal(joinInEnglish(['A']), 'A')
  t.equal(joinInEnglish(['A', 'B']), 'A and B')
  t.equal(joinInEnglish(['A', 'B', 'C']), 'A, B and C')
  t.equal(joinInEnglish(['A', 'B', 'C', 'D']), 'A, B, C and D')
})

t.test('one person is greeted by name', async t => {
  t.equal(greetPerson('Benedict Cumberbatch'), 'Happy birthday Benedict Cumberbatch!')
})

t.test('a day greets everyone born on it, oldest first, then by name', async t => {
  const people = [
    { name: 'Zoe', born: 1990, month: 3, day: 1 },
    { name: 'Adam', born: 1990, month: 3, day: 1 },
    { name: 'Old Timer', born: 1901, month: 3, day: 1 },
    { name: 'Leap Baby', born: 2004, month: 2, day: 29 },
    { name: 'Other Day', born: 1950, month: 3, day: 2 }
  ]
  const greetings = greetingsByDay(people)
  t.equal(greetings.length, DAYS_OF_THE_YEAR.length)
  t.same(greetings[parseDayMonth('1-March')!.index], {
    message: 'Happy birthday to Old Timer, Adam and Zoe!',
    people: [{ name: 'Old Timer', born: 1901 }, { name: 'Adam', born: 1990 }, { name: 'Zoe', born: 1990 }]
  })
  t.same(greetings[parseDayMonth('29-February')!.index].message, 'Happy birthday to Leap Baby!')
  t.same(greetings[parseDayMonth('2-January')!.index], { message: NOBODY_BORN_MESSAGE, people: [] })
  t.same(greetingsByDay([...people].reverse()), greetings, 'the order does not depend on the input order')
})
