import { DAYS_OF_THE_YEAR, calendarDayOf } from './calendar'

export interface Person {
  name: string
  /** Year of birth */
  born: number
  /** 1–12 */
  month: number
  /** 1–31 */
  day: number
}

/** Someone born on a given day, as an answer lists them. */
export type Birthday = Pick<Person, 'name' | 'born'>

// Made on the first sort, not at start-up: creating it loads ICU's collation data.
let compareNames: Intl.Collator['compare'] | undefined

/**
 * Everyone the service knows, by the day of the year they were born on. Built for a million
 * people: one string per name and a few numbers per person, kept in columns rather than an
 * object each, and no answer worked out before it is asked for. A day's people are put in order
 * (oldest first, then by name) the first time that day is asked for: a few milliseconds for a
 * day of thousands, instead of sorting everyone at start-up.
 */
export class BirthdayBook implements Iterable<Person> {
  readonly #names: string[]
  readonly #born: Uint16Array
  readonly #dayOfYear: Uint16Array
  // Who is born on each day: positions in the columns, one day after another (a counting sort).
  // Day d's people are at #byDay[#dayStarts[d]] up to #byDay[#dayStarts[d + 1]].
  readonly #byDay: Uint32Array
  readonly #dayStarts: Uint32Array
  readonly #dayInOrder = new Uint8Array(DAYS_OF_THE_YEAR.length)

  /** The columns, one entry per person; dayOfYear is a CalendarDay's index. */
  constructor (names: string[], born: readonly number[], dayOfYear: readonly number[]) {
    // Plain loops over locals: this runs once, before the code is optimised, at every start-up.
    const count = names.length
    const bornColumn = new Uint16Array(count)
    const dayColumn = new Uint16Array(count)
    const dayStarts = new Uint32Array(DAYS_OF_THE_YEAR.length + 1)
    for (let person = 0; person < count; person++) {
      bornColumn[person] = born[person]
      dayColumn[person] = dayOfYear[person]
      dayStarts[dayOfYear[person] + 1]++
    }
    for (let day = 1; day < dayStarts.length; day++) dayStarts[day] += dayStarts[day - 1]
    const next = dayStarts.slice(0, -1)
    const byDay = new Uint32Array(count)
    for (let person = 0; person < count; person++) byDay[next[dayColumn[person]]++] = person
    this.#names = names
    this.#born = bornColumn
    this.#dayOfYear = dayColumn
    this.#dayStarts = dayStarts
    this.#byDay = byDay
  }

  /**
   * A book of a list of people (the bundled ones, already checked when the bundle was built; tests).
   * A date that is not a day of the year is an error.
   */
  static of (people: readonly Person[]): BirthdayBook {
    return new BirthdayBook(people.map(person => person.name), people.map(person => person.born), people.map(({ month, day }) => {
      const birthday = calendarDayOf(month, day)
      if (!birthday) throw new RangeError(`${day}-${month} is not a day of the year`)
      return birthday.index
    }))
  }

  get size (): number {
    return this.#names.length
  }

  /** How many people were born on a day of the year (a CalendarDay's index). */
  countOn (dayOfYear: number): number {
    return this.#dayStarts[dayOfYear + 1] - this.#dayStarts[dayOfYear]
  }

  /** The people born on a day, oldest first, then by name: `limit` of them from `offset` on. */
  bornOn (dayOfYear: number, offset = 0, limit = Infinity): Birthday[] {
    const people = this.#peopleOn(dayOfYear)
    return Array.from(people.subarray(offset, offset + limit), person => ({ name: this.#names[person], born: this.#born[person] }))
  }

  /** Everyone, in the order they were given. */
  * [Symbol.iterator] (): Iterator<Person> {
    for (let person = 0; person < this.size; person++) {
      const { day, month } = DAYS_OF_THE_YEAR[this.#dayOfYear[person]]
      yield { name: this.#names[person], born: this.#born[person], month, day }
    }
  }

  /**
   * The first pair (in the columns' order) of entries for the same person: the same name in any
   * case and the same birth date; undefined when there is none. A Map of a million names would
   * take a second and 200 MB: a sorted array of their hashes finds the few that may be the same,
   * which are then compared.
   */
  findDuplicate (): { first: number, second: number } | undefined {
    const keys = new Int32Array(this.size)
    for (let person = 0; person < keys.length; person++) keys[person] = caseFoldedHash(this.#names[person], this.#born[person] * 366 + this.#dayOfYear[person])
    const sortedKeys = keys.slice().sort()
    const sharedKeys = new Set<number>()
    for (let i = 1; i < sortedKeys.length; i++) if (sortedKeys[i] === sortedKeys[i - 1]) sharedKeys.add(sortedKeys[i])
    const sharing = new Map<number, number[]>()
    keys.forEach((key, person) => {
      if (!sharedKeys.has(key)) return
      const people = sharing.get(key)
      if (people) people.push(person)
      else sharing.set(key, [person])
    })
    let found: { first: number, second: number } | undefined
    for (const people of sharing.values()) {
      const seen = new Map<string, number>()
      for (const person of people) {
        const key = `${this.#born[person]} ${this.#dayOfYear[person]} ${this.#names[person].toLowerCase()}`
        const first = seen.get(key)
        if (first === undefined) {
          seen.set(key, person)
        } else {
          if (found === undefined || person < found.second) found = { first, second: person }
          break // the people sharing a hash are in the columns' order: the rest come later
        }
      }
    }
    return found
  }

  #peopleOn (dayOfYear: number): Uint32Array {
    const people = this.#byDay.subarray(this.#dayStarts[dayOfYear], this.#dayStarts[dayOfYear + 1])
    if (!this.#dayInOrder[dayOfYear]) {
      const compare = compareNames ??= new Intl.Collator('en').compare
      people.sort((a, b) => this.#born[a] - this.#born[b] || compare(this.#names[a], this.#names[b]))
      this.#dayInOrder[dayOfYear] = 1
    }
    return people
  }
}

/**
 * A 32-bit hash (FNV-1a) of a name in lower case, mixed with a seed: two names that are the same
 * in lower case have the same hash. ASCII letters are folded here, without a new string.
 */
function caseFoldedHash (name: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < name.length; i++) {
    let code = name.charCodeAt(i)
    if (code > 0x7f) return hashOf(name.toLowerCase(), seed)
    if (code >= 0x41 && code <= 0x5a) code |= 0x20
    hash = Math.imul(hash ^ code, 0x01000193)
  }
  return hash
}

function hashOf (text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash
}
