import { isUtf8 } from 'node:buffer'
import { readFile, stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { CsvError, parse, type Info, type Options } from 'csv-parse'
import { BirthdayBook } from './birthday-book'
import { calendarDayOf } from './calendar'
import { findNameProblem } from './names'

const HEADER = ['name', 'birth_date']
const BIRTH_DATE_FORMAT = 'YYYY-MM-DD'
const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A people file that cannot be used; the message names the file, the line and the problem. */
export class PeopleFileError extends Error {
  constructor (source: string, problem: string, line?: number) {
    super(line === undefined ? `${source}: ${problem}` : `${source}, line ${line}: ${problem}`)
    this.name = 'PeopleFileError'
  }
}

export interface ReadPeopleOptions {
  /** The largest file read, in bytes; a bigger one is refused before it is read. */
  maxBytes?: number
  /** How to allow a bigger file, said when one is refused. */
  howToAllowMore?: string
  /** What day it is: a birth date after it is refused. */
  today?: Date
}

/**
 * Reads a `name,birth_date` CSV file. It is all or nothing: the first problem throws a
 * PeopleFileError, so a server never starts on partial data.
 */
export async function readPeopleFile (path: string, { maxBytes = Infinity, howToAllowMore, today }: ReadPeopleOptions = {}): Promise<BirthdayBook> {
  const cannotRead = (error: NodeJS.ErrnoException) => new PeopleFileError(path, `cannot read the file (${error.code})`)
  const { size } = await stat(path).catch(error => { throw cannotRead(error) })
  // Refused before it is read: a file too big would otherwise end in running out of memory.
  if (size > maxBytes) {
    throw new PeopleFileError(path, `the file is ${inMiB(size)}, more than the ${inMiB(maxBytes)} allowed${howToAllowMore ? `: ${howToAllowMore}` : ''}`)
  }
  return parsePeople(await readFile(path).catch(error => { throw cannotRead(error) }), path, today)
}

const inMiB = (bytes: number) => bytes < 2 ** 20 ? `${bytes} bytes` : `${(bytes / 2 ** 20).toFixed(1)} MiB`

/** Parses the bytes of a people file; `source` names it in error messages. */
export async function parsePeople (bytes: Buffer, source: string, today: Date = new Date()): Promise<BirthdayBook> {
  // Decoding leniently would turn a Latin-1 "é" into "\uFFFD" and greet the wrong name.
  if (!isUtf8(bytes)) throw new PeopleFileError(source, 'not valid UTF-8 text (save the file as UTF-8)', firstLineNotUtf8(bytes))
  const todayIso = isoDate(today)
  const names: string[] = []
  const born: number[] = []
  const dayOfYear: number[] = []
  const problem = await findRecordProblem(bytes, source, (record, index) => {
    if (index === 0) {
      const header = record.join(',')
      return header === HEADER.join(',') ? undefined : `expected the header "${HEADER}", found ${printable(header)}`
    }
    const name = record[0].trim()
    const nameProblem = findNameProblem(name)
    if (nameProblem) return nameProblem
    const birthDate = readBirthDate(record[1], todayIso)
    if (typeof birthDate === 'string') return birthDate
    names.push(name)
    born.push(birthDate.year)
    dayOfYear.push(birthDate.dayOfYear)
  })
  if (problem) throw new PeopleFileError(source, problem.message, (await linesOfRecords(bytes, [problem.index]))[0])
  if (names.length === 0) throw new PeopleFileError(source, `no people in the file (expected the header "${HEADER}" and one row per person)`)
  const book = new BirthdayBook(names, born, dayOfYear)
  const duplicate = book.findDuplicate()
  if (duplicate) {
    // Person n is record n + 1 of the file: the header is record 0.
    const [firstLine, line] = await linesOfRecords(bytes, [duplicate.first + 1, duplicate.second + 1])
    throw new PeopleFileError(source, `duplicate of line ${firstLine}`, line)
  }
  return book
}

// Records are read as the file streams through the parser, a chunk at a time, and none is kept:
// parsing a big file in one go would hold every record at once.
const CSV_OPTIONS: Options = { bom: true, trim: true, skip_empty_lines: true }
const CHUNK_BYTES = 64 * 1024

/**
 * Gives each record to `check` in turn, until it returns a problem: that problem and the record's
 * index (0 is the header). A file that is not valid CSV is a PeopleFileError.
 */
function findRecordProblem (bytes: Buffer, source: string, check: (record: string[], index: number) => string | undefined) {
  return new Promise<{ message: string, index: number } | undefined>((resolve, reject) => {
    const parser = parse(CSV_OPTIONS)
    const input = Readable.from(chunksOf(bytes))
    let index = 0
    parser.on('readable', () => {
      for (let record: string[]; (record = parser.read()) !== null; index++) {
        const message = check(record, index)
        if (message !== undefined) {
          input.destroy()
          parser.destroy()
          return resolve({ message, index })
        }
      }
    })
    parser.on('end', () => resolve(undefined))
    parser.on('error', error => {
      const { message, lines } = error as CsvError
      // csv-parse quotes the offending value, which may be anything: the message keeps only what went wrong.
      reject(new PeopleFileError(source, `not valid CSV (${message.replace(/(, value is| on line \d+$).*/s, '')})`, Number(lines)))
    })
    input.pipe(parser)
  })
}

function * chunksOf (bytes: Buffer) {
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) yield bytes.subarray(start, start + CHUNK_BYTES)
}

// The lines some records end on, in one more pass over the file. Only asked when there is a
// problem to report: counting lines for every record (csv-parse's `info`) would double the time a
// good file takes.
async function linesOfRecords (bytes: Buffer, indexes: number[]): Promise<number[]> {
  const records = parse(bytes, { ...CSV_OPTIONS, info: true, to: Math.max(...indexes) + 1 }) as AsyncIterable<{ info: Info }>
  const lines: number[] = []
  for await (const { info } of records) lines.push(info.lines)
  return indexes.map(index => lines[index])
}

// The first line that is not valid UTF-8. A byte 0x0A is never part of a multi-byte character.
function firstLineNotUtf8 (bytes: Buffer): number {
  let line = 1
  let start = 0
  for (let newline = bytes.indexOf(0x0a); newline !== -1 && isUtf8(bytes.subarray(start, newline)); newline = bytes.indexOf(0x0a, start)) {
    start = newline + 1
    line++
  }
  return line // the lines before are UTF-8, so this one is not (or the file would be)
}

// A value from the file, quoted for a one-line message: escaped, and cut short when long.
function printable (value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
}

// YYYY-MM-DD of a date, in the server's time zone: ISO dates compare as strings.
function isoDate (date: Date): string {
  const twoDigits = (number: number) => String(number).padStart(2, '0')
  return `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`
}

/** A birth date's year and day of the year (a CalendarDay's index), or what is wrong with it. */
function readBirthDate (text: string, todayIso: string): { year: number, dayOfYear: number } | string {
  const parts = BIRTH_DATE.exec(text)
  const [year, month, day] = parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : [0, 0, 0]
  const birthday = calendarDayOf(month, day)
  if (!birthday || (month === 2 && day === 29 && !isLeapYear(year))) {
    return `birth_date ${printable(text)} is not a real date in the form ${BIRTH_DATE_FORMAT}`
  }
  if (text > todayIso) return `birth_date ${printable(text)} is in the future`
  return { year, dayOfYear: birthday.index }
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
