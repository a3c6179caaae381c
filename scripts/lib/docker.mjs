// Docker, as the benchmark (scripts/bench/) and the tests use it: the
// docker command, the project's build context, what the Dockerfile says, logins and clean-up.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BUILD_INPUTS } from '../build/inputs.mjs'

/**
 * `docker …`, resolving with its output; rejects on a non-zero exit.
 * @param {...string} args
 */
function docker (...args) {
  return promisify(execFile)('docker', args, { maxBuffer: 64 * 1024 * 1024 })
}

/** Removes every image that carries a label (`name=value`), under any name or none. @param {string} label */
async function removeImagesLabelled (label) {
  const { stdout } = await docker('image', 'ls', '--quiet', '--filter', `label=${label}`)
  const ids = [...new Set(stdout.split('\n').filter(Boolean))]
  if (ids.length) await docker('image', 'rm', '--force', ...ids)
}

/**
 * `docker login` to a registry, the password given on stdin (never on a command line), with the
 * Docker config folder given.
 * @param {{ host: string, user: string, password: string }} registry @param {string} dockerConfig
 */
async function dockerLogin ({ host, user, password }, dockerConfig) {
  const login = spawn('docker', ['login', '--username', user, '--password-stdin', host], { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, stdio: ['pipe', 'ignore', 'pipe'] })
  let stderr = ''
  login.stderr.on('data', chunk => { stderr += chunk })
  login.stdin.end(password)
  const [code] = await once(login, 'exit')
  if (code !== 0) throw new Error(`docker login ${host} failed: ${stderr.trim()}`)
}

const ROOT = join(import.meta.dirname, '..', '..')

/**
 * Copies what `docker build` needs for the image into an empty folder, for a test or the
 * benchmark that changes a file in it: the Dockerfile and the build's inputs.
 * @param {string} folder
 */
function copyBuildContext (folder) {
  for (const path of ['Dockerfile', '.dockerignore', ...BUILD_INPUTS]) cpSync(join(ROOT, path), join(folder, path), { recursive: true })
}

/**
 * What a stage of the Dockerfile copies from the build context (not from another stage), as
 * written: files, and folders ending in /.
 * @param {string} stage
 */
function dockerfileCopies (stage) {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').split('\n')
  const start = lines.findIndex(line => new RegExp(`^FROM .* AS ${stage}$`).test(line))
  if (start === -1) throw new Error(`the Dockerfile has no stage ${stage}`)
  const end = lines.findIndex((line, index) => index > start && line.startsWith('FROM '))
  return lines.slice(start + 1, end === -1 ? undefined : end)
    .filter(line => line.startsWith('COPY ') && !line.includes('--from='))
    .flatMap(line => line.split(/\s+/).slice(1, -1))
}

/**
 * The default of a Dockerfile build argument, e.g. RUNNER_IMAGE: read, so that nothing repeats it.
 * @param {string} name
 */
function dockerfileArg (name) {
  return fromDockerfile(new RegExp(`^ARG ${name}=(\\S+)`, 'm'), `ARG ${name}=…`)
}

/**
 * Node's flags for the bundle, from the Dockerfile's CMD (its node flags, then the script): what
 * the image runs with, the tests and the benchmark run with too.
 * @returns {string[]}
 */
function bundleNodeFlags () {
  return JSON.parse(fromDockerfile(/^CMD (\[.*\])$/m, 'CMD […]')).slice(0, -1)
}

/**
 * What the first group of `pattern` matches in the Dockerfile.
 * @param {RegExp} pattern @param {string} what the line, as an error names it
 */
function fromDockerfile (pattern, what) {
  const value = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(pattern)?.[1]
  if (value === undefined) throw new Error(`the Dockerfile has no ${what}`)
  return value
}

/**
 * Extra flags for `docker build` or `docker run`, from DOCKER_BUILD_FLAGS or DOCKER_RUN_FLAGS
 * (as for Task): e.g. --network host on a machine without a bridge network.
 * @param {'DOCKER_BUILD_FLAGS' | 'DOCKER_RUN_FLAGS'} name
 * @param {string} [fallback] when the variable is not set
 */
function dockerFlags (name, fallback = '') {
  return (process.env[name] ?? fallback).split(/\s+/).filter(Boolean)
}

export { docker, removeImagesLabelled, dockerLogin, bundleNodeFlags, copyBuildContext, dockerfileArg, dockerfileCopies, dockerFlags }
