import t from 'tap'
import { ConfigError, compileConfigValidator, readConfig } from '../../src/startup/config'

const validateConfig = compileConfigValidator()

t.test('defaults suit a container', async t => {
  t.same(readConfig({}, validateConfig), { PORT: 8000, METRICS_PORT: 9464, HOST: '0.0.0.0', LOG_LEVEL: 'info' })
})

t.test('every setting comes from the environment', async t => {
  t.match(readConfig({ PORT: '8080', METRICS_PORT: '9100', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PEOPLE_FILE: '/data/team.csv', PEOPLE_FILE_MAX_MIB: '100' }, validateConfig),
    { PORT: 8080, METRICS_PORT: 9100, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PEOPLE_FILE: '/data/team.csv', PEOPLE_FILE_MAX_MIB: 100 })
  t.match(readConfig({ METRICS_PORT: '0' }, validateConfig), { METRICS_PORT: 0 }, '0: no metrics')
})

t.test('a bad or empty value is refused with a sentence: the variable, its value and what it accepts', async t => {
  // What each refusal must say: the variable first, the value given (or that it is empty), and
  // what the variable takes. Its exact wording is the code's to choose.
  const port = /port number from 1 to 65535/
  const metricsPort = /port number from 1 to 65535 other than PORT, or 0 for no metrics/
  const maxMiB = /whole number of MiB/
  const cases: Array<[NodeJS.ProcessEnv, string, string, RegExp]> = [
    [{ PORT: 'eighty' }, 'PORT', '"eighty"', port],
    [{ PORT: '0' }, 'PORT', '"0"', port],
    [{ PORT: '80.5' }, 'PORT', '"80.5"', port],
    [{ PORT: '65536' }, 'PORT', '"65536"', port],
    [{ METRICS_PORT: 'on' }, 'METRICS_PORT', '"on"', metricsPort],
    [{ METRICS_PORT: '-1' }, 'METRICS_PORT', '"-1"', metricsPort],
    [{ METRICS_PORT: '65536' }, 'METRICS_PORT', '"65536"', metricsPort],
    [{ METRICS_PORT: '8000' }, 'METRICS_PORT', '"8000"', metricsPort],
    [{ PORT: '9464' }, 'METRICS_PORT', '9464 (its default)', metricsPort],
    [{ HOST: '' }, 'HOST', 'empty', /address to listen on/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', '"loud"', /fatal, error, warn, info, debug, trace, silent/],
    [{ LOG_LEVEL: '' }, 'LOG_LEVEL', 'empty', /fatal, error, warn, info, debug, trace, silent/],
    [{ PEOPLE_FILE: '' }, 'PEOPLE_FILE', 'empty', /CSV file of people, or unset for the bundled ones/],
    [{ PEOPLE_FILE_MAX_MIB: '0' }, 'PEOPLE_FILE_MAX_MIB', '"0"', maxMiB],
    [{ PEOPLE_FILE_MAX_MIB: '1.5' }, 'PEOPLE_FILE_MAX_MIB', '"1.5"', maxMiB],
    [{ PEOPLE_FILE_MAX_MIB: '64MB' }, 'PEOPLE_FILE_MAX_MIB', '"64MB"', maxMiB]
  ]
  for (const [env, variable, value, accepts] of cases) {
    const error = t.throws(() => readConfig(env, validateConfig)) as Error
    t.type(error, ConfigError, `${JSON.stringify(env)}: a ConfigError`)
    t.ok(error.message.startsWith(`${variable} is ${value}`), `names ${variable} and its value ${value}: ${error.message}`)
    t.match(error.message, accepts, 'and says what it accepts')
    t.notMatch(error.message, /\n/, 'in one line')
  }
})
