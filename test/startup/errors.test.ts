import t from 'tap'
import { PeopleFileError } from '../../src/birthdays/people'
import { ConfigError } from '../../src/startup/config'
import { MetricsPortError, startupErrorReport } from '../../src/startup/errors'

t.test('what a person can fix is one line', async t => {
  const fixable = [
    new ConfigError('PORT is "eighty" but must be a port number from 1 to 65535'),
    new PeopleFileError('team.csv', 'the name is empty', 3),
    Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:8000'), { code: 'EADDRINUSE' }),
    new MetricsPortError(9464, Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:9464'), { code: 'EADDRINUSE' }))
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

t.test('a metrics port that cannot be listened on says which setting to change', async t => {
  const error = new MetricsPortError(9464, Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:9464'), { code: 'EACCES' }))
  t.equal(startupErrorReport(error),
    'hbaas-server cannot start: METRICS_PORT 9464: listen EACCES: permission denied 0.0.0.0:9464: set METRICS_PORT to a free port, or to 0 for no metrics')
})
