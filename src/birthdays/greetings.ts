import type { BirthdayBook } from './birthday-book'

export const NOBODY_BORN_MESSAGE = "It doesn't look like I know of anyone with that birthday!"

/** A day's greeting names everyone born on it when they are this many or fewer… */
export const NAMED_IN_FULL_UP_TO = 10
/** …and when they are more, names this many and counts the others: the greeting stays short. */
export const NAMED_BEFORE_THE_OTHERS = 3

/** "Happy birthday Benedict Cumberbatch!" */
export function greetPerson (name: string): string {
  return `Happy birthday ${name}!`
}

/** "A", "A and B", "A, B and C". */
export function joinInEnglish (items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/**
 * The greeting for a day of the year (a CalendarDay's index), to everyone born on it, oldest
 * first: "Happy birthday to A, B and C!", or on a busy day "Happy birthday to A, B, C and 2,997 others!".
 */
export function greetDay (book: BirthdayBook, dayOfYear: number): string {
  const count = book.countOn(dayOfYear)
  if (count === 0) return NOBODY_BORN_MESSAGE
  const named = count <= NAMED_IN_FULL_UP_TO ? count : NAMED_BEFORE_THE_OTHERS
  const names = book.bornOn(dayOfYear, 0, named).map(person => person.name)
  if (named === count) return `Happy birthday to ${joinInEnglish(names)}!`
  return `Happy birthday to ${names.join(', ')} and ${(count - named).toLocaleString('en')} others!`
}
