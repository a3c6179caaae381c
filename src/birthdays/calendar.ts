/** How a date is written in a URL; quoted in error messages and in the API document. */
export const DATE_FORMAT_HINT = '{day}-{Month}, e.g. 2-May'

export interface CalendarDay {
  /** Position in DAYS_OF_THE_YEAR: 0 for 1 January … 365 for 31 December. */
  index: number
  /** 1–31 */
  day: number
  /** 1–12 */
  month: number
  /** English name, e.g. "December" */
  monthName: string
}

// A leap year, so that 29 February is a day like any other.
const LEAP_YEAR = 2000
// Spelled out rather than asked of Intl, whose first use loads ICU's data (about 5 ms of every start-up).
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** Every day of the year, 29 February included, in calendar order. */
export const DAYS_OF_THE_YEAR: readonly CalendarDay[] = Array.from({ length: 366 }, (_, index) => {
  const date = new Date(LEAP_YEAR, 0, 1 + index)
  return { index, day: date.getDate(), month: date.getMonth() + 1, monthName: MONTH_NAMES[date.getMonth()] }
})

// Every spelling we accept, e.g. 2-May, 02-may, 2-MAY, 2-5, 02-05, spelled out once at start-up:
// parsing a request is one lookup, and the valid inputs are exactly what this table holds.
const twoDigits = (number: number) => String(number).padStart(2, '0')
const DAYS_BY_SPELLING = new Map<string, CalendarDay>(DAYS_OF_THE_YEAR.flatMap(calendarDay => {
  const { day, month, monthName } = calendarDay
  const days = [String(day), twoDigits(day)]
  const months = [monthName, monthName.slice(0, 3), String(month), twoDigits(month)].map(spelling => spelling.toLowerCase())
  return days.flatMap(daySpelling => months.map(monthSpelling => [`${daySpelling}-${monthSpelling}`, calendarDay] as const))
}))

// Any case of a word, as a pattern: "may" → "[Mm][Aa][Yy]" (JSON Schema patterns have no flags).
const anyCase = (word: string) => [...word].map(letter => `[${letter.toUpperCase()}${letter.toLowerCase()}]`).join('')

/** The JSON Schema pattern of the day in a date: 1 to 31, with or without a leading zero. */
export const DAY_PATTERN = '^(?:0?[1-9]|[12][0-9]|3[01])$'

/**
 * The JSON Schema pattern of the month in a date: its English name in any case, its first three
 * letters or its number, with or without a leading zero. Whether the month has the day is for
 * parseDayMonth to say.
 */
export const MONTH_PATTERN = `^(?:${Array.from({ length: 12 }, (_, monthIndex) => {
  const name = DAYS_OF_THE_YEAR.find(({ month }) => month === monthIndex + 1)!.monthName.toLowerCase()
  return `${anyCase(name)}|${anyCase(name.slice(0, 3))}|${monthIndex < 9 ? '0?' : ''}${monthIndex + 1}`
}).join('|')})$`

/**
 * The JSON Schema pattern of an IANA time zone name: Europe/London, America/Argentina/Buenos_Aires,
 * Etc/GMT+5, UTC. Whether such a zone exists is for the runtime to say (resolveTimeZone): its list
 * changes with every time zone database release.
 */
export const TIME_ZONE_PATTERN = '^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$'

const TIME_ZONE_NAME = new RegExp(TIME_ZONE_PATTERN)

// Names looked up so far (in lower case, as time zone names are matched), with the zone each one
// resolved to. Only real zones are kept, so it cannot grow beyond the database's few hundred names.
const resolvedTimeZones = new Map<string, string>()

/**
 * The runtime's name for an IANA time zone, given any of its names in any case (Asia/Kolkata,
 * or its older link Asia/Calcutta); undefined when the runtime knows no such zone.
 * Intl.supportedValuesOf('timeZone') would list only one name per zone.
 */
export function resolveTimeZone (name: string): string | undefined {
  const key = name.toLowerCase()
  let zone = resolvedTimeZones.get(key)
  if (zone === undefined) {
    // Node.js 22 and later also take offsets such as "+05:30": not a name of the database.
    if (!TIME_ZONE_NAME.test(name)) return undefined
    try {
      zone = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone
    } catch {
      return undefined
    }
    resolvedTimeZones.set(key, zone)
  }
  return zone
}

/** Reads "25-December", "25-dec", "25-12" or "02-May"; undefined when it is not a day of the year. */
export function parseDayMonth (text: string): CalendarDay | undefined {
  return DAYS_BY_SPELLING.get(text.toLowerCase())
}

// The days of the year by month * 32 + day: a lookup without a string, for a million people.
const DAYS_BY_NUMBER: Array<CalendarDay | undefined> = []
for (const calendarDay of DAYS_OF_THE_YEAR) DAYS_BY_NUMBER[calendarDay.month * 32 + calendarDay.day] = calendarDay

/** The day of the year of a month (1–12) and day (1–31); undefined when there is no such day. */
export function calendarDayOf (month: number, day: number): CalendarDay | undefined {
  return Number.isInteger(month) && Number.isInteger(day) && day >= 1 && day <= 31 ? DAYS_BY_NUMBER[month * 32 + day] : undefined
}

// A formatter for each zone asked for, made once: making one costs far more than using it. Only
// zones that resolveTimeZone knows reach here, so there are at most a few hundred.
const monthAndDayFormats = new Map<string, Intl.DateTimeFormat>()

/** The date at a moment in a time zone that resolveTimeZone knows (another throws a RangeError). */
export function todayIn (timeZone: string, now: Date): CalendarDay {
  let format = monthAndDayFormats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric', day: 'numeric' })
    monthAndDayFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(now)
  const partOf = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find(part => part.type === type)?.value)
  // A real date is always a day of the year.
  return calendarDayOf(partOf('month'), partOf('day')) as CalendarDay
}
