import t from 'tap'
import { BirthdayBook } from '../../src/birthdays/birthday-book'
import { parseDayMonth } from '../../src/birthdays/calendar'
import { NAMED_BEFORE_THE_OTHERS, NAMED_IN_FULL_UP_TO, NOBODY_BORN_MESSAGE, greetDay, greetPerson, joinInEnglish } from '../../src/birthdays/greetings'

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

const firstOfMarch = parseDayMonth('1-March')!.index
const bornOnTheFirstOfMarch = (count: number) =>
  BirthdayBook.of(Array.from({ length: count }, (_, i) => ({ name: `Person ${String(i).padStart(5, '0')}`, born: 1900 + i % 100, month: 3, day: 1 })))

t.test('a day greets everyone born on it, oldest first, then by name', async t => {
  const book = BirthdayBook.of([
    { name: 'Zoe', born: 1990, month: 3, day: 1 },
    { name: 'Adam', born: 1990, month: 3, day: 1 },
    { name: 'Old Timer', born: 1901, month: 3, day: 1 },
    { name: 'Leap Baby', born: 2004, month: 2, day: 29 }
  ])
  t.equal(greetDay(book, firstOfMarch), 'Happy birthday to Old Timer, Adam and Zoe!')
  t.equal(greetDay(book, parseDayMonth('29-February')!.index), 'Happy birthday to Leap Baby!')
  t.equal(greetDay(book, parseDayMonth('2-January')!.index), NOBODY_BORN_MESSAGE)
})

t.test(`up to ${NAMED_IN_FULL_UP_TO} people are all named; more are the first ${NAMED_BEFORE_THE_OTHERS} and a count`, async t => {
  t.equal(greetDay(bornOnTheFirstOfMarch(NAMED_IN_FULL_UP_TO), firstOfMarch),
    `Happy birthday to ${joinInEnglish(Array.from({ length: NAMED_IN_FULL_UP_TO }, (_, i) => `Person ${String(i).padStart(5, '0')}`))}!`)
  t.equal(greetDay(bornOnTheFirstOfMarch(NAMED_IN_FULL_UP_TO + 1), firstOfMarch),
    `Happy birthday to Person 00000, Person 00001, Person 00002 and ${NAMED_IN_FULL_UP_TO + 1 - NAMED_BEFORE_THE_OTHERS} others!`)
  t.equal(greetDay(bornOnTheFirstOfMarch(3_000), firstOfMarch),
    'Happy birthday to Person 00000, Person 00100, Person 00200 and 2,997 others!', 'the oldest first; thousands with a comma')
})
