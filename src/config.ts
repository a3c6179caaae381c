import type { ErrorObject } from 'ajv'
import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

// What each variable accepts, in words: the schema's descriptions, and how a bad value is refused.
const ACCEPTS = {
  PORT: 'a port number from 1 to 65535',
  HOST: 'an address to listen on, such as 0.0.0.0',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  PEOPLE_FILE: 'the path of a CSV file of people, or unset for the bundled ones'
}

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8000, description: ACCEPTS.PORT }),
  // 0.0.0.0, not localhost: inside a container only that is reachable through --publish.
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: ACCEPTS.HOST }),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info', description: ACCEPTS.LOG_LEVEL }),
  PEOPLE_FILE: Type.Optional(Type.String({ minLength: 1, description: ACCEPTS.PEOPLE_FILE }))
})

export type Config = Static<typeof ConfigSchema>

/** A setting that stops start-up; the message names the variable and what it accepts. */
export class ConfigError extends Error {
  name = 'ConfigError'
}

/** Reads and checks the server's settings from environment variables, with their defaults. */
export function readConfig (env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return envSchema<Config>({ schema: ConfigSchema, data: env, env: false })
  } catch (error) {
    // env-schema throws with Ajv's list of what failed; we say it in terms of the variables.
    const { errors } = error as { errors: ErrorObject[] }
    throw new ConfigError(errors.map(({ instancePath }) => {
      const variable = instancePath.slice(1) as keyof typeof ACCEPTS
      const value = env[variable] === '' ? 'empty' : JSON.stringify(env[variable])
      return `${variable} is ${value} but must be ${ACCEPTS[variable]}`
    }).join('; '))
  }
}
