// The route schemas' validators and serializers, and the settings' validator, compiled when the
// bundle is built rather than at every start-up: scripts/build/ compiles them with Fastify's
// standalone compilers (Ajv's and fast-json-stringify's own code generation, with Fastify's
// options) and Ajv's standalone code, and bundles the code; the server hands them to Fastify in
// place of its compilers, and to readConfig. Tests compile at start-up, as usual.
import type { ValidateFunction } from 'ajv'
import type { FastifySerializerCompiler, FastifyServerOptions } from 'fastify'
import type { ConfigValidator } from '../startup/config'

type Serializer = ReturnType<FastifySerializerCompiler<unknown>>
/** Which route and part of it a schema is for, as Fastify tells its compilers. */
interface RouteSchema { method?: string, url?: string, httpPart?: string, httpStatus?: string, contentType?: string }

/** What the build compiled, by schemaKey. */
export interface CompiledSchemas {
  /** Ajv's standalone validators: what Fastify uses of a ValidateFunction (it, and its errors). */
  validators: Record<string, ValidateFunction>
  serializers: Record<string, Serializer>
  /** The settings' validator (config.ts). */
  config: ConfigValidator
}

/** Which part of which route a schema is for, e.g. "GET /name/:name params" or "GET /version 200". */
export function schemaKey ({ method, url, httpPart, httpStatus, contentType }: RouteSchema): string {
  return [method, url, httpPart ?? httpStatus, contentType].filter(Boolean).join(' ')
}

/** Fastify's schema compilers, answering with what the build compiled. */
export function precompiled ({ validators, serializers }: Pick<CompiledSchemas, 'validators' | 'serializers'>): FastifyServerOptions['schemaController'] {
  const lookUp = <T>(compiled: Record<string, T>) => () => (route: RouteSchema): T => {
    const key = schemaKey(route)
    // Only a route added without rebuilding could miss: a bug, which stops start-up.
    if (!Object.hasOwn(compiled, key)) throw new Error(`no schema was compiled at build time for ${key}`)
    return compiled[key]
  }
  return { compilersFactory: { buildValidator: lookUp(validators), buildSerializer: lookUp(serializers) } }
}
