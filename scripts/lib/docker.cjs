// Building the image from a copy of the project: shared by the benchmark (scripts/bench/run.mjs)
// and the container tests (test/helpers/docker.ts). CommonJS, so that both can load it.
'use strict'
const { cpSync, readFileSync } = require('node:fs')
const { join } = require('node:path')
const { BUILD_INPUTS } = require('../build/inputs.cjs')

const ROOT = join(__dirname, '..', '..')

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

module.exports = { bundleNodeFlags, copyBuildContext, dockerfileArg, dockerfileCopies, dockerFlags }
