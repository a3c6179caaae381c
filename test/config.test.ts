import t from 'tap'
import { ConfigError, readConfig } from '../src/config'

t.test('defaults suit a container', async t => {
  t.same(readConfig({}), { PORT: 8000, HOST: '0.0.0.0', LOG_LEVEL: 'info' })
})

t.test('every setting comes from the environment', async t => {
  t.match(readConfig({ PORT: '8080', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PEOPLE_FILE: '/data/team.csv' }),
    { PORT: 8080, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PEOPLE_FILE: '/data/team.csv' })
})

t.test('a bad value is refused with the variable and what it accepts', async t => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ PORT: 'eighty' }, 'PORT is "eighty" but must be integer'],
    [{ PORT: '0' }, 'PORT is "0" but must be >= 1'],
    [{ PORT: '65536' }, 'PORT is "65536" but must be <= 65535'],
    [{ HOST: '' }, 'HOST is "" but must NOT have fewer than 1 characters'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is "loud" but must be equal to one of the allowed values: fatal, error, warn, info, debug, trace, silent'],
    [{ PEOPLE_FILE: '' }, 'PEOPLE_FILE is "" but must NOT have fewer than 1 characters']
  ]
  for (const [env, message] of cases) t.throws(() => readConfig(env), new ConfigError(message), message)
})
