// What the server would otherwise work out at every start-up, made at build time by the app
// itself: its OpenAPI document (the bundle serves it as it is, without @fastify/swagger, which
// makes it), and the code of every validator and serializer of its route schemas and of its
// settings (src/bundle/compiled-schemas.ts looks them up), as one CommonJS module.
import { createRequire } from 'node:module'
import { loadSource } from './load-source.mjs'

/**
 * The app, built once with Fastify's standalone compilers, which write out the code of every
 * validator and serializer they compile (with the options Fastify gives them), keyed as
 * src/bundle/compiled-schemas.ts looks them up. (This app serves nothing: the serializers it gets cannot
 * run outside a bundle.) The settings' validator is written out by Ajv's own standalone code,
 * with src/startup/config.ts's Ajv.
 * @param {string} root the project
 * @param {{ buildInfo: object, docsAssetsDir: string }} options
 * @returns {Promise<{ apiDocument: object, compiledSchemasModule: string }>}
 */
export async function compileApp (root, { buildInfo, docsAssetsDir }) {
  const require = createRequire(import.meta.url)
  const StandaloneValidator = require('@fastify/ajv-compiler/standalone')
  const { StandaloneSerializer } = require('@fastify/fast-json-stringify-compiler/standalone')
  const { default: standaloneCode } = require('ajv/dist/standalone')
  const { buildApp } = await loadSource(root, 'src/app.ts')
  const { schemaKey } = await loadSource(root, 'src/bundle/compiled-schemas.ts')
  const { configAjv, compileConfigValidator } = await loadSource(root, 'src/startup/config.ts')
  const ajv = configAjv({ source: true })
  const configCode = standaloneCode(ajv, compileConfigValidator(ajv))
  const code = { validators: new Map(), serializers: new Map() }
  const store = compiled => (route, moduleCode) => compiled.set(schemaKey(route), moduleCode)
  const schemaController = {
    compilersFactory: {
      buildValidator: StandaloneValidator({ readMode: false, storeFunction: store(code.validators) }),
      buildSerializer: StandaloneSerializer({ readMode: false, storeFunction: store(code.serializers) })
    }
  }
  const app = await buildApp({ people: [], buildInfo, docsAssetsDir, schemaController })
  try {
    await app.ready()
    const apiDocument = app.swagger()
    // Each compiled function is a CommonJS module of its own, written once (a GET route and its
    // HEAD route compile the same code) and given a module object of its own.
    const modules = [...new Set([...code.validators.values(), ...code.serializers.values(), configCode])]
    const moduleIndex = new Map(modules.map((moduleCode, index) => [moduleCode, index]))
    const asModule = moduleCode => `((module) => {\n${moduleCode}\nreturn module.exports\n})({ exports: {} })`
    const table = compiled => `{\n${[...compiled].map(([key, moduleCode]) => `${JSON.stringify(key)}: compiled[${moduleIndex.get(moduleCode)}]`).join(',\n')}\n}`
    const compiledSchemasModule = `const compiled = [\n${modules.map(asModule).join(',\n')}\n]\n` +
      `module.exports = {\nvalidators: ${table(code.validators)},\nserializers: ${table(code.serializers)},\n` +
      `config: compiled[${moduleIndex.get(configCode)}]\n}\n`
    return { apiDocument, compiledSchemasModule }
  } finally {
    await app.close()
  }
}
