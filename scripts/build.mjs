// Bundles the server into one CommonJS file, dist/server.cjs, that runs with nothing but Node.js:
// no node_modules, no data file, no network. Usage:
//   node scripts/build.mjs [--outdir DIR] [--if-stale]
// The build is stamped with VERSION, BUILD_TIME and COMMIT from the environment, else from git
// and the clock (SOURCE_DATE_EPOCH, when set, makes two builds of one commit byte-identical).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'

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

if (args['if-stale'] && !isStale()) {
  console.log(`${bundle} is up to date`)
  process.exit(0)
}

const buildInfo = {
  version: process.env.VERSION || git('describe', '--tags', '--always', '--dirty') || 'dev',
  buildTime: process.env.BUILD_TIME || buildTime(),
  commit: process.env.COMMIT || git('rev-parse', '--short', 'HEAD') || 'unknown'
}

rmSync(args.outdir, { recursive: true, force: true })
await build({
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
  loader: { '.csv': 'text' },
  define: { BUILD_INFO: JSON.stringify(buildInfo) },
  logLevel: 'warning'
})
mkdirSync(join(args.outdir, 'docs'))
for (const file of docsAssets) copyFileSync(join(swaggerUiDist, file), join(args.outdir, 'docs', file))
console.log(`built ${bundle} (${(statSync(bundle).size / 1024).toFixed(0)} KiB): ${JSON.stringify(buildInfo)}`)

function git (...gitArgs) {
  try {
    return execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return '' // not a git checkout (a source archive, a Docker build context)
  }
}

function buildTime () {
  const epochSeconds = Number(process.env.SOURCE_DATE_EPOCH)
  const time = process.env.SOURCE_DATE_EPOCH ? new Date(epochSeconds * 1000) : new Date()
  return time.toISOString().replace(/\.\d+Z$/, 'Z')
}

// Stale when anything the bundle is made from is newer than the bundle.
function isStale () {
  let builtAt
  try {
    builtAt = statSync(bundle).mtimeMs
  } catch {
    return true
  }
  const inputs = [
    ...readdirSync(join(root, 'src'), { recursive: true }).map(file => join(root, 'src', file)),
    join(root, 'package-lock.json'),
    join(root, 'scripts/build.mjs')
  ]
  return inputs.some(input => statSync(input).mtimeMs > builtAt)
}
