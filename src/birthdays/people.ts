import { readFile } from 'node:fs/promises'
import { CsvError, parse, type Info } from 'csv-parse/sync'
import dayjs from 'dayjs'
import customParseFormat from 'dayjs/plugin/customParseFormat'

dayjs.extend(customParseFormat)

export interface Person {
  name: string
  /** Year of birth */
  born: number
  /** 1–12 */
  month: number
  /** 1–31 */
  day: number
}

/** Longest name we accept, in a people file and in /name/{name}. */
export const MAX_NAME_LENGTH = 100

const HEADER = ['name', 'birth_date']
const BIRTH_DATE_FORMAT = 'YYYY-MM-DD'
// Names are echoed back in greetings and logs, so no control characters (tabs, NUL, escapes).
const CONTROL_CHARACTER = /\p{Cc}/u

/** A people file that cannot be used; the message names the file, the line and the problem. */
export class PeopleFileError extends Error {
  constructor (source: string, problem: string, line?: number) {
    super(line === undefined ? `${source}: ${problem}` : `${source}, line ${line}: ${problem}`)
    this.name = 'PeopleFileError'
  }
}

/**
 * Reads a `name,birth_date` CSV file. It is all or nothing: the first problem throws a
 * PeopleFileError, so a server never starts on partial data.
 */
export async function readPeopleFile (path: string, today: Date = new Date()): Promise<Person[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new PeopleFileError(path, `cannot read the file (${(error as NodeJS.ErrnoException).code})`)
  }
  return parsePeople(text, path, today)
}

/** Parses the text of a people file; `source` names it in error messages. */
export function parsePeople (text: string, source: string, today: Date = new Date()): Person[] {
  const todayIso = dayjs(today).format(BIRTH_DATE_FORMAT)
  const seen = new Map<string, number>()
  const people: Person[] = []
  for (const { record, line } of parseRows(text, source)) {
    const [name, birthDate] = record
    const problem = findProblem(name, birthDate, todayIso)
    if (problem) throw new PeopleFileError(source, problem, line)
    const key = `${name.toLowerCase()},${birthDate}`
    const firstLine = seen.get(key)
    if (firstLine !== undefined) throw new PeopleFileError(source, `duplicate of line ${firstLine}`, line)
    seen.set(key, line)
    const [born, month, day] = birthDate.split('-').map(Number)
    people.push({ name, born, month, day })
  }
  if (people.length === 0) throw new PeopleFileError(source, `no people in the file (expected the header "${HEADER}" and one row per person)`)
  return people
}

function parseRows (text: string, source: string): Array<{ record: string[], line: number }> {
  let rows: Array<{ record: string[], info: Info }>
  try {
    // With `info`, each row comes with the line it ends on (the types do not follow the option).
    rows = parse(text, { bom: true, trim: true, skip_empty_lines: true, info: true }) as unknown as typeof rows
  } catch (error) {
    const { message, lines } = error as CsvError
    // csv-parse quotes the offending value, which may be anything: the message keeps only what went wrong.
    throw new PeopleFileError(source, `not valid CSV (${message.replace(/(, value is| on line \d+$).*/s, '')})`, Number(lines))
  }
  const [header, ...body] = rows
  if (header && header.record.join(',') !== HEADER.join(',')) {
    throw new PeopleFileError(source, `expected the header "${HEADER}", found ${printable(header.record.join(','))}`, header.info.lines)
  }
  return body.map(({ record, info }) => ({ record, line: info.lines }))
}

// A value from the file, quoted for a one-line message: escaped, and cut short when long.
function printable (value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
}

function findProblem (name: string, birthDate: string, todayIso: string): string | undefined {
  if (name === '') return 'the name is empty'
  if (name.length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`
  if (CONTROL_CHARACTER.test(name)) return 'the name contains control characters'
  if (!dayjs(birthDate, BIRTH_DATE_FORMAT, true).isValid()) {
    return `birth_date ${printable(birthDate)} is not a real date in the form ${BIRTH_DATE_FORMAT}`
  }
  if (birthDate > todayIso) return `birth_date ${printable(birthDate)} is in the future`
  return undefined
}
