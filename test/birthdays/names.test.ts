import fc from 'fast-check'
import t from 'tap'
import { MAX_NAME_LENGTH, NAME_PATTERN, findNameProblem } from '../../src/birthdays/names'
import { checkProperty } from '../helpers/property'

const namePattern = new RegExp(NAME_PATTERN, 'u') // as Ajv checks it

t.test('a name is 1 to 100 characters, counted as code points', async t => {
  t.equal(findNameProblem('Ada Lovelace'), undefined)
  t.equal(findNameProblem('🎂'.repeat(MAX_NAME_LENGTH)), undefined, '100 emoji (200 UTF-16 units) are a name')
  t.equal(findNameProblem('🎂'.repeat(MAX_NAME_LENGTH + 1)), 'the name is longer than 100 characters')
  t.equal(findNameProblem(''), 'the name is empty')
  t.ok(namePattern.test('🎂'.repeat(MAX_NAME_LENGTH)))
  t.notOk(namePattern.test('🎂'.repeat(MAX_NAME_LENGTH + 1)))
})

t.test('control and invisible formatting characters are refused; joiners are not', async t => {
  for (const name of ['Ada\u0000', 'Ada\u001b[31m', 'A\u0085da']) t.equal(findNameProblem(name), 'the name contains control characters', JSON.stringify(name))
  for (const name of ['\u202eAda', 'Ada\u202e', 'A\u200bda', 'A\u2066da\u2069', 'A\u00adda', 'A\ufeffda', 'A\u061cda']) {
    t.equal(findNameProblem(name), 'the name contains invisible formatting characters (such as U+202E)', JSON.stringify(name))
    t.notOk(namePattern.test(name), `the pattern refuses ${JSON.stringify(name)} too`)
  }
  for (const name of ['👨\u200d👩\u200d👧', 'می\u200cخواهم', 'Zoë', 'O\'Brien', 'שלום']) t.equal(findNameProblem(name), undefined, name)
})

t.test('the pattern and the rule agree on every string, once the pattern has trimmed it', async t => {
  const characters = fc.constantFrom(' ', '\t', '\u00a0', '\ufeff', '\u0000', '\u0085', '\u202e', '\u200b', '\u200d', '🎂', 'a', '.')
  const strings = fc.oneof(fc.string({ unit: characters, maxLength: 104 }), fc.string({ unit: 'binary', maxLength: 104 }))
  await checkProperty(t, fc.asyncProperty(strings, async text => {
    if (namePattern.test(text) !== (findNameProblem(text.trim()) === undefined)) throw new Error(`they disagree on ${JSON.stringify(text)}`)
  }), { numRuns: 2000 })
})
