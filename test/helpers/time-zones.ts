import { readFileSync } from 'node:fs'

const TZDATA = '/usr/share/zoneinfo/tzdata.zi'

/**
 * Every name of the IANA time zone database on this machine, zones and links alike, from the
 * tzdata package's compact source; on a machine without it (a slim container), the names Node.js
 * itself lists (one per zone, ICU's: fewer, but never none), so that a test always checks some.
 */
export function ianaTimeZoneNames (): string[] & { source: string } {
  let text: string
  try {
    text = readFileSync(TZDATA, 'utf8')
  } catch (error) {
    return Object.assign(Intl.supportedValuesOf('timeZone'), { source: `Node.js's own list (Intl.supportedValuesOf), as ${TZDATA} is not here (${(error as NodeJS.ErrnoException).code})` })
  }
  // "Z Europe/London …" is a zone; "L Europe/London Europe/Belfast" makes Europe/Belfast a link to it.
  const names = text.split('\n').flatMap(line => {
    const [kind, first, second] = line.split(' ')
    return kind === 'Z' ? [first] : kind === 'L' ? [second] : []
  })
  return Object.assign(names, { source: TZDATA })
}
