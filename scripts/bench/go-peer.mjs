// The Go/Echo server this project replaces, built for the benchmark to measure beside it.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Builds the Go server in `dir` into `work`. Resolves with its binary, or why there is none.
 * @param {string} dir its sources @param {string} work
 * @returns {Promise<{ binary: string } | { reason: string }>}
 */
export async function buildGoPeer (dir, work) {
  if (!await run('go', ['version']).then(() => true, () => false)) return { reason: 'Go is not on this machine' }
  try {
    await run('go', ['build', '-o', join(work, 'go-peer'), '.'], { cwd: dir })
    return { binary: join(work, 'go-peer') }
  } catch (error) {
    return { reason: `its build failed in ${dir}: ${/** @type {Error} */ (error).message.split('\n')[0]}` }
  }
}
