import { PeopleFileError } from '../birthdays/people'
import { ConfigError } from './config'

// Listening failures that come from a setting (PORT, HOST): a port in use or reserved, an
// address that is not this machine's.
const SETTING_ERROR_CODES = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'])

/** The metrics server cannot listen on METRICS_PORT (it is in use, say): which setting to change. */
export class MetricsPortError extends Error {
  name = 'MetricsPortError'
  readonly code?: string

  constructor (port: number, cause: Error & { code?: string }) {
    super(`METRICS_PORT ${port}: ${cause.message}: set METRICS_PORT to a free port, or to 0 for no metrics`, { cause })
    this.code = cause.code
  }
}

/**
 * What to print when start-up fails: one line for what a person can fix (a setting, the people
 * file, a busy port); for anything else, which is a bug, the stack too.
 */
export function startupErrorReport (error: Error & { code?: string }): string {
  const fixable = error instanceof ConfigError || error instanceof PeopleFileError || SETTING_ERROR_CODES.has(error.code ?? '')
  return fixable ? `hbaas-server cannot start: ${error.message}` : `hbaas-server cannot start, because of a bug: ${error.stack}`
}
