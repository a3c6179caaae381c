// Bundles src/server.ts into one minified CommonJS file with esbuild, with the build's stamp, the
// parsed people, the compiled schemas and the API document inside. Resolves with esbuild's record
// of what went in (its metafile), from which the SBOM is made.
import { join } from 'node:path'
import { build } from 'esbuild'
import { parsedPeople } from './people-plugin.mjs'
import { STAMP } from './staleness.mjs'

/**
 * @param {string} root the project
 * @param {{ outfile: string, buildInfo: object, apiDocument: object, compiledSchemasModule: string }} options
 * @returns {Promise<import('esbuild').Metafile>}
 */
export async function bundle (root, { outfile, buildInfo, apiDocument, compiledSchemasModule }) {
  /** @type {import('esbuild').Plugin} */
  const compiledSchemas = {
    name: 'compiled-schemas',
    setup (esbuild) {
      esbuild.onResolve({ filter: /^virtual:compiled-schemas$/ }, ({ path }) => ({ path, namespace: 'compiled-schemas' }))
      // resolveDir: the code requires Ajv's and fast-json-stringify's runtime helpers from node_modules.
      esbuild.onLoad({ filter: /.*/, namespace: 'compiled-schemas' }, () => ({ contents: compiledSchemasModule, resolveDir: root, loader: 'js' }))
    }
  }
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src/server.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // CommonJS: Fastify and its plugins load some modules with a dynamic require().
    format: 'cjs',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false, // stack traces need the mappings, not a second copy of every source
    plugins: [parsedPeople(root), compiledSchemas],
    // What only an app compiling at start-up loads (the tests', and compile-app.mjs's): the bundle
    // is given its API document and its compiled schemas, so Fastify never requires these in it.
    external: ['@fastify/swagger', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
    define: { BUILD_INFO: JSON.stringify(buildInfo), API_DOCUMENT: JSON.stringify(apiDocument) },
    banner: { js: `${STAMP}${JSON.stringify(buildInfo)}` },
    metafile: true,
    logLevel: 'warning'
  })
  return metafile
}
