import t from 'tap'
import { ConfigError, compileConfigValidator, readConfig } from '../src/config'

const validateConfig = compileConfigValidator()

t.test('defaults suit a container', async t => {
  t.same(readConfig({}, validateConfig), { PORT: 8000, HOST: '0.0.0.0', LOG_LEVEL: 'info' })
})

t.test('every setting comes from the environment', async t => {
  t.match(readConfig({ PORT: '8080', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PEOPLE_FILE: '/data/team.csv' }, validateConfig),
    { PORT: 8080, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PEOPLE_FILE: '/data/team.csv' })
})

t.test('a bad or empty value is refused with a sentence: the variable, its value and what it accepts', async t => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ PORT: 'eighty' }, 'PORT is "eighty" but must be a port number from 1 to 65535'],
    [{ PORT: '0' }, 'PORT is "0" but must be a port number from 1 to 65535'],
    [{ PORT: '80.5' }, 'PORT is "80.5" but must be a port number from 1 to 65535'],
    [{ PORT: '65536' }, 'PORT is "65536" but must be a port number from 1 to 65535'],
    [{ HOST: '' }, 'HOST is empty but must be an address to listen on, such as 0.0.0.0'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is "loud" but must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_LEVEL: '' }, 'LOG_LEVEL is empty but must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ PEOPLE_FILE: '' }, 'PEOPLE_FILE is empty but must be the path of a CSV file of people, or unset for the bundled ones']
  ]
  for (const [env, message] of cases) t.throws(() => readConfig(env, validateConfig), new ConfigError(message), message)
})
