import t from 'tap'
import { PeopleFileError } from '../src/birthdays/people'
import { ConfigError } from '../src/config'
import { startupErrorReport } from '../src/startup-errors'

t.test('what a person can fix is one line', async t => {
  const fixable = [
    new ConfigError('PORT is "eighty" but must be a port number from 1 to 65535'),
    new PeopleFileError('team.csv', 'the name is empty', 3),
    Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:8000'), { code: 'EADDRINUSE' })
  ]
  for (const error of fixable) {
    const report = startupErrorReport(error)
    t.equal(report, `hbaas-server cannot start: ${error.message}`)
    t.notMatch(report, '\n', 'one line')
  }
})

t.test('anything else is a bug, reported with its stack', async t => {
  const report = startupErrorReport(new TypeError("Cannot read properties of undefined (reading 'name')"))
  t.match(report, /^hbaas-server cannot start, because of a bug: TypeError: Cannot read properties of undefined \(reading 'name'\)\n\s+at /)
})
