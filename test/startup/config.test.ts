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
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ PORT: 'eighty' }, 'PORT is "eighty" but must be a port number from 1 to 65535'],
    [{ PORT: '0' }, 'PORT is "0" but must be a port number from 1 to 65535'],
    [{ PORT: '80.5' }, 'PORT is "80.5" but must be a port number from 1 to 65535'],
    [{ PORT: '65536' }, 'PORT is "65536" but must be a port number from 1 to 65535'],
    [{ METRICS_PORT: 'on' }, 'METRICS_PORT is "on" but must be a port number from 1 to 65535 other than PORT, or 0 for no metrics'],
    [{ METRICS_PORT: '-1' }, 'METRICS_PORT is "-1" but must be a port number from 1 to 65535 other than PORT, or 0 for no metrics'],
    [{ METRICS_PORT: '65536' }, 'METRICS_PORT is "65536" but must be a port number from 1 to 65535 other than PORT, or 0 for no metrics'],
    [{ METRICS_PORT: '8000' }, 'METRICS_PORT is "8000" but must be a port number from 1 to 65535 other than PORT, or 0 for no metrics'],
    [{ PORT: '9464' }, 'METRICS_PORT is 9464 (its default) but must be a port number from 1 to 65535 other than PORT, or 0 for no metrics'],
    [{ HOST: '' }, 'HOST is empty but must be an address to listen on, such as 0.0.0.0'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is "loud" but must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_LEVEL: '' }, 'LOG_LEVEL is empty but must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ PEOPLE_FILE: '' }, 'PEOPLE_FILE is empty but must be the path of a CSV file of people, or unset for the bundled ones'],
    [{ PEOPLE_FILE_MAX_MIB: '0' }, 'PEOPLE_FILE_MAX_MIB is "0" but must be the largest PEOPLE_FILE to read, a whole number of MiB from 1 on, or unset for what the memory holds'],
    [{ PEOPLE_FILE_MAX_MIB: '1.5' }, 'PEOPLE_FILE_MAX_MIB is "1.5" but must be the largest PEOPLE_FILE to read, a whole number of MiB from 1 on, or unset for what the memory holds'],
    [{ PEOPLE_FILE_MAX_MIB: '64MB' }, 'PEOPLE_FILE_MAX_MIB is "64MB" but must be the largest PEOPLE_FILE to read, a whole number of MiB from 1 on, or unset for what the memory holds']
  ]
  for (const [env, message] of cases) t.throws(() => readConfig(env, validateConfig), new ConfigError(message), message)
})
