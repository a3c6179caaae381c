// A module of the server's TypeScript sources, loaded into a build script: bundled to CommonJS
// in a scratch folder, then required.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'

/** @param {string} root the project @param {string} entry relative to it, e.g. src/app.ts */
export async function loadSource (root, entry) {
  const scratch = mkdtempSync(join(tmpdir(), 'hbaas-build-'))
  try {
    const file = join(scratch, 'module.cjs')
    await build({ absWorkingDir: root, entryPoints: [join(root, entry)], outfile: file, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' })
    return createRequire(import.meta.url)(file)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
