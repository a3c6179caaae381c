import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

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

/** Every day of the year, 29 February included, in calendar order. */
export const DAYS_OF_THE_YEAR: readonly CalendarDay[] = Array.from({ length: 366 }, (_, index) => {
  const date = dayjs(new Date(LEAP_YEAR, 0, 1 + index))
  return { index, day: date.date(), month: date.month() + 1, monthName: date.format('MMMM') }
})

// Every spelling we accept, e.g. 2-May, 02-may, 2-MAY, 2-5, 02-05, spelled out once at start-up:
// parsing a request is one lookup, and the valid inputs are exactly what this table holds.
const SPELLINGS = ['D', 'DD'].flatMap(day => ['MMMM', 'MMM', 'M', 'MM'].map(month => `${day}-${month}`))
const DAYS_BY_SPELLING = new Map<string, CalendarDay>(DAYS_OF_THE_YEAR.flatMap(calendarDay => {
  const date = dayjs(new Date(LEAP_YEAR, calendarDay.month - 1, calendarDay.day))
  return SPELLINGS.map(spelling => [date.format(spelling).toLowerCase(), calendarDay] as const)
}))

/** Reads "25-December", "25-dec", "25-12" or "02-May"; undefined when it is not a day of the year. */
export function parseDayMonth (text: string): CalendarDay | undefined {
  return DAYS_BY_SPELLING.get(text.toLowerCase())
}

/** The day of the year of a month (1–12) and day (1–31); undefined when there is no such day. */
export function calendarDayOf (month: number, day: number): CalendarDay | undefined {
  return DAYS_BY_SPELLING.get(`${day}-${month}`)
}

/** Today's date in an IANA time zone; undefined when the zone is unknown. */
export function todayIn (timeZone: string, now: Date = new Date()): CalendarDay | undefined {
  let today: dayjs.Dayjs
  try {
    today = dayjs(now).tz(timeZone)
  } catch {
    return undefined
  }
  return calendarDayOf(today.month() + 1, today.date())
}
