import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BirthdayBook } from '../../src/birthdays/birthday-book'
import { parsePeople } from '../../src/birthdays/people'
import { ROOT } from './root'

// Apart from helpers/app.ts, so that a test of the people alone does not load Fastify.
export const BUNDLED_PEOPLE_FILE = join(ROOT, 'src/data/people.csv')

let bundledPeople: Promise<BirthdayBook> | undefined
/** The people the server ships with, read as the bundle reads them (once). */
export function readBundledPeople () {
  bundledPeople ??= parsePeople(readFileSync(BUNDLED_PEOPLE_FILE), BUNDLED_PEOPLE_FILE)
  return bundledPeople
}
