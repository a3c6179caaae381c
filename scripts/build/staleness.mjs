// Whether the bundle must be built again: it is missing, a build input is newer than it, or it
// was stamped with another version or commit (a new commit that touched no input).
import { readFileSync, statSync } from 'node:fs'
import { buildInputFiles } from './inputs.mjs'

// The bundle's first line says what it was built from.
export const STAMP = '// hbaas-server '

/**
 * Why the bundle must be rebuilt, or undefined when it is up to date.
 * @param {string} bundle @param {{ version: string, commit: string }} stamp what this build would be stamped with
 */
export function staleness (bundle, stamp) {
  let builtAt, firstLine
  try {
    builtAt = statSync(bundle).mtimeMs
    firstLine = readFileSync(bundle, 'utf8').slice(0, 1000).split('\n', 1)[0]
  } catch {
    return 'there is none'
  }
  const newer = buildInputFiles().find(input => statSync(input).mtimeMs > builtAt)
  if (newer) return `${newer} changed`
  const { version = 'no version', commit = 'no commit' } = firstLine.startsWith(STAMP) ? JSON.parse(firstLine.slice(STAMP.length)) : {}
  if (version !== stamp.version || commit !== stamp.commit) {
    return `it was built from ${version} (${commit}), this is ${stamp.version} (${stamp.commit})`
  }
  return undefined
}
