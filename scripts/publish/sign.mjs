// `task image:sign`: signs the digests of pushed images, each digest once and all in one cosign run,
// so that the password of a key is asked for once at most (and, without a terminal to ask on, the
// run stops before anything is signed, naming COSIGN_PASSWORD). A tag is resolved to the digest it
// points at now; a digest (REPOSITORY@sha256:…) is signed as it is.
//   node scripts/publish/sign.mjs IMAGE... [-- COSIGN_SIGN_FLAGS...]
// (BUILDX_BUILDER and DOCKER_CONFIG as for the push.)
import { execFileSync, spawnSync } from 'node:child_process'
import { isMain } from '../lib/main.mjs'

/**
 * `repository@digest` for each distinct digest of the images, in their order; `digestOf` reads a
 * tag's digest from the registry.
 * @param {string[]} images REPOSITORY:TAG or REPOSITORY@DIGEST @param {(image: string) => string} digestOf
 */
function digestReferences (images, digestOf) {
  return [...new Set(images.map(image => image.includes('@') ? image : `${repositoryOf(image)}@${digestOf(image)}`))]
}

/** An image's repository, without its tag (a registry's port is not a tag). @param {string} image */
const repositoryOf = image => image.replace(/:[^:/]+$/, '')

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
  const signFlags = args.slice(end + 1)
  try {
    // cosign asks for a key's password on the terminal; without one it fails, after the first image.
    if (signFlags.includes('--key') && process.env.COSIGN_PASSWORD === undefined && !process.stdin.isTTY) {
      throw new Error('COSIGN_PASSWORD is not set, and there is no terminal on which to ask for the password of COSIGN_KEY: set COSIGN_PASSWORD (empty for a key without one).')
    }
    const images = digestReferences(args.slice(0, end), registryDigest)
    process.exitCode = spawnSync('cosign', ['sign', '--yes', ...signFlags, ...images], { stdio: 'inherit' }).status === 0 ? 0 : 1
  } catch (error) {
    console.error(/** @type {Error} */ (error).message)
    process.exitCode = 1
  }
}
