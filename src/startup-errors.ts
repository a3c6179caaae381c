import { PeopleFileError } from './birthdays/people'
import { ConfigError } from './config'

// Listening failures that come from a setting (PORT, HOST): a port in use or reserved, an
// address that is not this machine's.
const SETTING_ERROR_CODES = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'])

/**
 * What to print when start-up fails: one line for what a person can fix (a setting, the people
 * file, a busy port); for anything else, which is a bug, the stack too.
 */
export function startupErrorReport (error: Error & { code?: string }): string {
  const fixable = error instanceof ConfigError || error instanceof PeopleFileError || SETTING_ERROR_CODES.has(error.code ?? '')
  return fixable ? `hbaas-server cannot start: ${error.message}` : `hbaas-server cannot start, because of a bug: ${error.stack}`
}
