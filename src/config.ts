import type { ErrorObject } from 'ajv'
import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8000 }),
  // 0.0.0.0, not localhost: inside a container only that is reachable through --publish.
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info' }),
  PEOPLE_FILE: Type.Optional(Type.String({ minLength: 1 }))
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
    throw new ConfigError(errors.map(({ instancePath, message, params }) => {
      const variable = instancePath.slice(1)
      const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(', ')}` : ''
      return `${variable} is "${env[variable]}" but must ${message?.replace(/^must /, '')}${allowed}`
    }).join('; '))
  }
}
