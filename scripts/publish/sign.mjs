// `task image:sign`: signs the digest that each pushed tag points at now, each digest once and all
// in one cosign run, so that the password of a key is asked for once at most (and, without a
// terminal to ask on, the run stops before anything is signed, naming COSIGN_PASSWORD).
//   node scripts/publish/sign.mjs REPOSITORY TAG... [-- COSIGN_SIGN_FLAGS...]
// (BUILDX_BUILDER and DOCKER_CONFIG as for the push.)
import { execFileSync, spawnSync } from 'node:child_process'
import { isMain } from '../lib/main.mjs'

/**
 * `repository@digest` for each distinct digest of the tags, in the tags' order; `digestOf` reads
 * one tag's digest from the registry.
 * @param {string} repository @param {string[]} tags @param {(image: string) => string} digestOf
 */
function digestReferences (repository, tags, digestOf) {
  return [...new Set(tags.map(tag => `${repository}@${digestOf(`${repository}:${tag}`)}`))]
}

/** The digest the registry holds for an image now, by buildx's own inspection. @param {string} image */
function registryDigest (image) {
  try {
    const manifest = execFileSync('docker', ['buildx', 'imagetools', 'inspect', image, '--format', '{{json .Manifest}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return JSON.parse(manifest).digest
  } catch (error) {
    const reason = String(/** @type {{ stderr?: string }} */ (error).stderr).trim().split('\n').at(-1)
    throw new Error(`Cannot read the digest of ${image}: ${reason}. Was it pushed (task image:upload), with this VERSION?`)
  }
}

export { digestReferences }

if (isMain(import.meta)) {
  const args = process.argv.slice(2)
  const end = args.includes('--') ? args.indexOf('--') : args.length
  const [repository, ...tags] = args.slice(0, end)
  const signFlags = args.slice(end + 1)
  try {
    // cosign asks for a key's password on the terminal; without one it fails, after the first tag.
    if (signFlags.includes('--key') && process.env.COSIGN_PASSWORD === undefined && !process.stdin.isTTY) {
      throw new Error('COSIGN_PASSWORD is not set, and there is no terminal on which to ask for the password of COSIGN_KEY: set COSIGN_PASSWORD (empty for a key without one).')
    }
    const images = digestReferences(repository, tags, registryDigest)
    process.exitCode = spawnSync('cosign', ['sign', '--yes', ...signFlags, ...images], { stdio: 'inherit' }).status === 0 ? 0 : 1
  } catch (error) {
    console.error(/** @type {Error} */ (error).message)
    process.exitCode = 1
  }
}
