// What a person's name may be, in a people file and in /name/{name}: the same rule in both.

/** Longest name we accept, in characters (Unicode code points: an emoji is one). */
export const MAX_NAME_LENGTH = 100

// The characters below are spelled out as ranges, not \p{…} classes, so that the pattern means the
// same in every regex dialect (schemathesis reads it in Python).
// What String.prototype.trim() removes around a name.
const SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'
// Control characters: names are echoed in greetings and logs.
const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f'
// Invisible formatting characters, which can make a name read as something else: bidirectional
// controls (U+202E …), zero-width spaces, the soft hyphen, word joiners. The zero-width joiners
// U+200C and U+200D stay allowed: Persian, Indic scripts and emoji sequences need them.
const INVISIBLE = '\\u00ad\\u061c\\u180e\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb'
const ALLOWED = `[^${CONTROL}${INVISIBLE}]`
const VISIBLE = `[^${SPACE}${CONTROL}${INVISIBLE}]`

/** The rule in words, for error messages and the API document. */
export const NAME_RULE = `1 to ${MAX_NAME_LENGTH} characters, not counting surrounding spaces, with no control or invisible formatting characters`

/**
 * The JSON Schema pattern of a valid name before trimming: surrounding spaces, then 1 to
 * MAX_NAME_LENGTH characters that start and end visibly. Checked with the `u` flag (as Ajv does),
 * so that a character is a code point.
 */
export const NAME_PATTERN = `^[${SPACE}]*(?:${VISIBLE}|${VISIBLE}${ALLOWED}{0,${MAX_NAME_LENGTH - 2}}${VISIBLE})[${SPACE}]*$`

const HAS_CONTROL = new RegExp(`[${CONTROL}]`, 'u')
const HAS_INVISIBLE = new RegExp(`[${INVISIBLE}]`, 'u')

/** What is wrong with a name, already trimmed; undefined when it is a valid name. */
export function findNameProblem (name: string): string | undefined {
  if (name === '') return 'the name is empty'
  // Counting characters is spreading the string; a name no longer in UTF-16 units is not longer in characters.
  if (name.length > MAX_NAME_LENGTH && [...name].length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`
  if (HAS_CONTROL.test(name)) return 'the name contains control characters'
  if (HAS_INVISIBLE.test(name)) return 'the name contains invisible formatting characters (such as U+202E)'
  return undefined
}
