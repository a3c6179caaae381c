import { readFile } from 'node:fs/promises'
import { CsvError, parse, type Info } from 'csv-parse/sync'
import dayjs from 'dayjs'
import customParseFormat from 'dayjs/plugin/customParseFormat'
import { findNameProblem } from './names'

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

const HEADER = ['name', 'birth_date']
const BIRTH_DATE_FORMAT = 'YYYY-MM-DD'

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
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new PeopleFileError(path, `cannot read the file (${(error as NodeJS.ErrnoException).code})`)
  }
  return parsePeople(decodeUtf8(bytes, path), path, today)
}

// Decoding leniently would turn a Latin-1 "é" into "\uFFFD" and greet the wrong name: a file that
// is not UTF-8 is refused, at its first line that is not. Decoded line by line to know which: a
// byte 0x0A is never part of a multi-byte character.
function decodeUtf8 (bytes: Buffer, source: string): string {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) // csv-parse drops the BOM
  const lines: string[] = []
  for (let start = 0; start <= bytes.length;) {
    const newline = bytes.indexOf(0x0a, start)
    const end = newline === -1 ? bytes.length : newline
    try {
      lines.push(strict.decode(bytes.subarray(start, end)))
    } catch {
      throw new PeopleFileError(source, 'not valid UTF-8 text (save the file as UTF-8)', lines.length + 1)
    }
    start = end + 1
  }
  return lines.join('\n')
}

/** Parses the text of a people file; `source` names it in error messages. */
export function parsePeople (text: string, source: string, today: Date = new Date()): Person[] {
  const todayIso = dayjs(today).format(BIRTH_DATE_FORMAT)
  const seen = new Map<string, number>()
  const people: Person[] = []
  for (const { record, line } of parseRows(text, source)) {
    const name = record[0].trim()
    const birthDate = record[1]
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
  const nameProblem = findNameProblem(name)
  if (nameProblem) return nameProblem
  if (!dayjs(birthDate, BIRTH_DATE_FORMAT, true).isValid()) {
    return `birth_date ${printable(birthDate)} is not a real date in the form ${BIRTH_DATE_FORMAT}`
  }
  if (birthDate > todayIso) return `birth_date ${printable(birthDate)} is in the future`
  return undefined
}
