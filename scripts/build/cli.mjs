// `npm run build`: bundles the server into dist/server.cjs, one CommonJS file that runs with
// nothing but Node.js (no node_modules, no data file, no network), with its source map, the docs
// page's assets and its SBOM. Two builds of one commit are byte-identical (scripts/build/info.mjs).
//   node scripts/build/cli.mjs [--outdir DIR] [--if-stale]   --if-stale: only if it must (npm start)
//   node scripts/build/cli.mjs --up-to-date                  exit 0 when no build is needed (task build)
import { rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bundle } from './bundle.mjs'
import { compileApp } from './compile-app.mjs'
import { copyDocsAssets } from './docs-assets.mjs'
import { buildInfo as stamp } from './info.mjs'
import { writeSbom } from './sbom.mjs'
import { staleness } from './staleness.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { values: args } = parseArgs({
  options: {
    outdir: { type: 'string', default: join(root, 'dist') },
    'if-stale': { type: 'boolean', default: false },
    'up-to-date': { type: 'boolean', default: false }
  }
})
const outfile = join(args.outdir, 'server.cjs')
const { version, buildTime, commit } = stamp()
const buildInfo = { version, buildTime, commit }

if (args['if-stale'] || args['up-to-date']) {
  const reason = staleness(outfile, buildInfo)
  if (args['up-to-date']) process.exit(reason ? 1 : 0)
  if (!reason) {
    console.log(`${outfile} is up to date`)
    process.exit(0)
  }
  console.log(`rebuilding ${outfile}: ${reason}`)
}

rmSync(args.outdir, { recursive: true, force: true })
const { apiDocument, compiledSchemasModule } = await compileApp(root, { buildInfo, docsAssetsDir: join(root, 'node_modules/swagger-ui-dist') })
const metafile = await bundle(root, { outfile, buildInfo, apiDocument, compiledSchemasModule })
copyDocsAssets(root, args.outdir)
writeSbom(root, args.outdir, metafile, buildInfo)
console.log(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB): ${JSON.stringify(buildInfo)}`)
