import { DAYS_OF_THE_YEAR, calendarDayOf } from './calendar'
import type { Person } from './people'

export const NOBODY_BORN_MESSAGE = "It doesn't look like I know of anyone with that birthday!"

export interface DayGreeting {
  message: string
  people: Array<Pick<Person, 'name' | 'born'>>
}

/** "Happy birthday Benedict Cumberbatch!" */
export function greetPerson (name: string): string {
  return `Happy birthday ${name}!`
}

/** "A", "A and B", "A, B and C". */
export function joinInEnglish (items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

// One collator for the whole sort: localeCompare() would build one per comparison (6× slower).
const compareNames = new Intl.Collator('en').compare
const oldestFirstThenByName = (a: Person, b: Person): number => a.born - b.born || compareNames(a.name, b.name)

/**
 * The greeting for every day of the year, indexed like DAYS_OF_THE_YEAR and worked out once:
 * oldest first, then by name, so the answer for a day never changes between calls.
 */
export function greetingsByDay (people: readonly Person[]): DayGreeting[] {
  const bornOn: Person[][] = DAYS_OF_THE_YEAR.map(() => [])
  for (const person of [...people].sort(oldestFirstThenByName)) {
    const birthday = calendarDayOf(person.month, person.day)
    if (birthday) bornOn[birthday.index].push(person)
  }
  return bornOn.map(greetingFor)
}

function greetingFor (people: readonly Person[]): DayGreeting {
  if (people.length === 0) return { message: NOBODY_BORN_MESSAGE, people: [] }
  return {
    message: `Happy birthday to ${joinInEnglish(people.map(person => person.name))}!`,
    people: people.map(({ name, born }) => ({ name, born }))
  }
}
