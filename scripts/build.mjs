// Bundles the server into one CommonJS file, dist/server.cjs, that runs with nothing but Node.js:
// no node_modules, no data file, no network. Usage:
//   node scripts/build.mjs [--outdir DIR] [--if-stale]
// The build is stamped with its version, commit and time (scripts/build-info.cjs): two builds of
// one commit are byte-identical.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build, version as esbuildVersion } from 'esbuild'
import { buildInfo as stamp } from './build-info.cjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values: args } = parseArgs({
  options: {
    outdir: { type: 'string', default: join(root, 'dist') },
    'if-stale': { type: 'boolean', default: false }
  }
})
const bundle = join(args.outdir, 'server.cjs')

// Swagger UI's files for /docs go next to the bundle (src/server.ts looks for them there).
const swaggerUiDist = join(root, 'node_modules/swagger-ui-dist')
const docsAssets = Object.keys(JSON.parse(readFileSync(join(root, 'src/routes/docs-assets.json'), 'utf8')))

const { version, buildTime, commit } = stamp()
const buildInfo = { version, buildTime, commit }
// The bundle's first line says what it was built from, so that --if-stale can tell a new commit.
const STAMP = '// hbaas-server '

if (args['if-stale']) {
  const reason = staleness()
  if (!reason) {
    console.log(`${bundle} is up to date`)
    process.exit(0)
  }
  console.log(`rebuilding ${bundle}: ${reason}`)
}

rmSync(args.outdir, { recursive: true, force: true })
// The bundled people are read and checked at build time, by the server's own parser: the bundle
// holds them ready to use, and a bad row fails the build rather than the start.
const parsedPeople = {
  name: 'parsed-people',
  setup (esbuild) {
    esbuild.onLoad({ filter: /\.csv$/ }, async ({ path }) => {
      const { parsePeople } = await loadSource('src/birthdays/people.ts')
      return { contents: JSON.stringify(parsePeople(readFileSync(path, 'utf8'), relative(root, path))), loader: 'json' }
    })
  }
}
// What the server would otherwise work out at every start-up is made here, by the app itself: the
// OpenAPI document (the bundle serves it as it is, without @fastify/swagger, which makes it), and
// the route schemas' validators and serializers, as code (src/compiled-schemas.ts).
const { apiDocument, compiledSchemasModule } = await compileApp()
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
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // CommonJS: Fastify and its plugins load some modules with a dynamic require().
  format: 'cjs',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false, // stack traces need the mappings, not a second copy of every source
  plugins: [parsedPeople, compiledSchemas],
  // What only an app compiling at start-up loads (the tests', and compileApp's below): the bundle
  // is given its API document and its compiled schemas, so Fastify never requires these in it.
  external: ['@fastify/swagger', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
  define: { BUILD_INFO: JSON.stringify(buildInfo), API_DOCUMENT: JSON.stringify(apiDocument) },
  banner: { js: `${STAMP}${JSON.stringify(buildInfo)}` },
  metafile: true,
  logLevel: 'warning'
})
mkdirSync(join(args.outdir, 'docs'))
for (const file of docsAssets) copyFileSync(join(swaggerUiDist, file), join(args.outdir, 'docs', file))

// What the build is made of: every package esbuild put in the bundle, and Swagger UI's files.
const packageDirs = new Set(['node_modules/swagger-ui-dist'])
for (const input of Object.keys(metafile.inputs)) {
  const packageDir = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1] // the innermost package
  if (packageDir) packageDirs.add(packageDir)
}
const packages = [...packageDirs].sort().map(dir => ({ dir, ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
writeSbom(packages)
console.log(`built ${bundle} (${(statSync(bundle).size / 1024).toFixed(0)} KiB): ${JSON.stringify(buildInfo)}`)

// The app, built once here with Fastify's standalone compilers, which write out the code of every
// validator and serializer they compile (with the options Fastify gives them), keyed as
// src/compiled-schemas.ts looks them up; and its API document, which @fastify/swagger makes from
// the routes. (This app serves nothing: the serializers it gets cannot run outside a bundle.)
// The settings' validator is written out by Ajv's own standalone code, with src/config.ts's Ajv.
async function compileApp () {
  const require = createRequire(import.meta.url)
  const StandaloneValidator = require('@fastify/ajv-compiler/standalone')
  const { StandaloneSerializer } = require('@fastify/fast-json-stringify-compiler/standalone')
  const { default: standaloneCode } = require('ajv/dist/standalone')
  const { buildApp } = await loadSource('src/app.ts')
  const { schemaKey } = await loadSource('src/compiled-schemas.ts')
  const { configAjv, compileConfigValidator } = await loadSource('src/config.ts')
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
  const app = await buildApp({ people: [], buildInfo, docsAssetsDir: swaggerUiDist, schemaController })
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

// A module of the server's sources, loaded into this script: bundled to CommonJS in a scratch folder.
async function loadSource (entry) {
  const scratch = mkdtempSync(join(tmpdir(), 'hbaas-build-'))
  try {
    const file = join(scratch, 'module.cjs')
    await build({ absWorkingDir: root, entryPoints: [join(root, entry)], outfile: file, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' })
    return createRequire(import.meta.url)(file)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * Writes the SBOM: sbom.cdx.json, a CycloneDX document of the packages, shipped with the bundle;
 * and packages/node_modules/…/package.json, the same for image scanners (the SBOM that
 * `docker buildx build --sbom=true` attaches), which find packages only that way.
 */
function writeSbom (packages) {
  const components = new Map() // by purl: two copies of one version are one component
  for (const { name, version, license } of packages) {
    const [, scope, shortName] = name.match(/^(?:(@[^/]+)\/)?(.+)$/)
    const purl = `pkg:npm/${scope ? `${encodeURIComponent(scope)}/` : ''}${shortName}@${version}`
    components.set(purl, { type: 'library', 'bom-ref': purl, ...(scope && { group: scope }), name: shortName, version, purl, ...(license && { licenses: [{ expression: license }] }) })
  }
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      timestamp: buildTime,
      component: { type: 'application', 'bom-ref': 'hbaas-server', name: 'hbaas-server', version },
      tools: { components: [{ type: 'application', name: 'esbuild', version: esbuildVersion }] }
    },
    components: [...components.values()].sort((a, b) => a.purl < b.purl ? -1 : 1)
  }
  writeFileSync(join(args.outdir, 'sbom.cdx.json'), `${JSON.stringify(sbom, null, 2)}\n`)
  for (const { dir, name, version, license } of packages) {
    const manifest = join(args.outdir, 'packages', dir, 'package.json')
    mkdirSync(dirname(manifest), { recursive: true })
    writeFileSync(manifest, `${JSON.stringify({ name, version, license })}\n`)
  }
}

// Why the bundle must be rebuilt, if it must: it is missing, something it is made from is newer,
// or it was stamped with another version or commit (a commit that touched no source).
function staleness () {
  let builtAt, firstLine
  try {
    builtAt = statSync(bundle).mtimeMs
    firstLine = readFileSync(bundle, 'utf8').slice(0, 1000).split('\n', 1)[0]
  } catch {
    return 'there is none'
  }
  const inputs = [
    ...readdirSync(join(root, 'src'), { recursive: true }).map(file => join(root, 'src', file)),
    join(root, 'package-lock.json'),
    join(root, 'scripts/build.mjs'),
    join(root, 'scripts/build-info.cjs')
  ]
  const newer = inputs.find(input => statSync(input).mtimeMs > builtAt)
  if (newer) return `${newer} changed`
  const { version = 'no version', commit = 'no commit' } = firstLine.startsWith(STAMP) ? JSON.parse(firstLine.slice(STAMP.length)) : {}
  if (version !== buildInfo.version || commit !== buildInfo.commit) {
    return `it was built from ${version} (${commit}), this is ${buildInfo.version} (${buildInfo.commit})`
  }
  return undefined
}
