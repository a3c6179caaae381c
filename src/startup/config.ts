import Ajv, { type CodeOptions, type ValidateFunction } from 'ajv'
import * as Type from 'typebox'
import type { Static } from 'typebox'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

// What each variable accepts, in words: the schema's descriptions, and how a bad value is refused.
const ACCEPTS = {
  PORT: 'a port number from 1 to 65535',
  METRICS_PORT: 'a port number from 1 to 65535 other than PORT, or 0 for no metrics',
  HOST: 'an address to listen on, such as 0.0.0.0',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  PEOPLE_FILE: 'the path of a CSV file of people, or unset for the bundled ones',
  PEOPLE_FILE_MAX_MIB: 'the largest PEOPLE_FILE to read, a whole number of MiB from 1 on, or unset for what the memory holds'
}

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8000, description: ACCEPTS.PORT }),
  // Prometheus's metrics on a port of their own, never reachable through the public one. 9464 is
  // where OpenTelemetry's Prometheus exporter serves them, so scrape configs often expect it.
  METRICS_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9464, description: ACCEPTS.METRICS_PORT }),
  // 0.0.0.0, not localhost: inside a container only that is reachable through --publish.
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: ACCEPTS.HOST }),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info', description: ACCEPTS.LOG_LEVEL }),
  PEOPLE_FILE: Type.Optional(Type.String({ minLength: 1, description: ACCEPTS.PEOPLE_FILE })),
  PEOPLE_FILE_MAX_MIB: Type.Optional(Type.Integer({ minimum: 1, description: ACCEPTS.PEOPLE_FILE_MAX_MIB }))
})

export type Config = Static<typeof ConfigSchema>

/** Checks the settings, and fills in their defaults. */
export type ConfigValidator = ValidateFunction<Config>

/**
 * The Ajv that checks the settings. Environment variables are strings: it turns PORT into a number
 * and fills in the defaults. The schema is ours and fixed, so it is not itself checked against JSON
 * Schema's meta-schema, which would take longer than everything else here. `code` is for the
 * build, which writes the validator out as code (scripts/build/).
 */
export function configAjv (code?: CodeOptions) {
  return new Ajv({ coerceTypes: true, useDefaults: true, validateSchema: false, code })
}

/**
 * The settings' validator, compiled now: by tests, and by the build, which bundles its code
 * (virtual:compiled-schemas), so that the server neither loads Ajv nor compiles it at start-up.
 */
export function compileConfigValidator (ajv = configAjv()): ConfigValidator {
  return ajv.compile<Config>(ConfigSchema)
}

/** A setting that stops start-up; the message names the variable and what it accepts. */
export class ConfigError extends Error {
  name = 'ConfigError'
}

/**
 * Reads and checks the server's settings from environment variables, with their defaults, by a
 * validator from compileConfigValidator (the bundle's was compiled when it was built).
 */
export function readConfig (env: NodeJS.ProcessEnv, validateConfig: ConfigValidator): Config {
  const variables = Object.keys(ACCEPTS) as Array<keyof typeof ACCEPTS>
  const config = Object.fromEntries(variables.filter(name => env[name] !== undefined).map(name => [name, env[name]]))
  if (!validateConfig(config)) {
    // Ajv says what failed in terms of the schema; we say it in terms of the variable.
    const variable = validateConfig.errors![0].instancePath.slice(1) as keyof typeof ACCEPTS
    throw refused(variable, env[variable] === '' ? 'empty' : JSON.stringify(env[variable]))
  }
  // The one rule that is about two variables: two servers cannot listen on one port.
  if (config.METRICS_PORT === config.PORT) {
    throw refused('METRICS_PORT', env.METRICS_PORT === undefined ? `${config.METRICS_PORT} (its default)` : JSON.stringify(env.METRICS_PORT))
  }
  return config
}

function refused (variable: keyof typeof ACCEPTS, value: string) {
  return new ConfigError(`${variable} is ${value} but must be ${ACCEPTS[variable]}`)
}
