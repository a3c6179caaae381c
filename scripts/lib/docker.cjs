// Building the image from a copy of the project: shared by the benchmark (scripts/bench/run.mjs)
// and the container tests (test/helpers/docker.ts). CommonJS, so that both can load it.
'use strict'
const { cpSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

const ROOT = join(__dirname, '..', '..')

/** What `docker build` needs from the project, copied when a test or the benchmark changes a file in it. */
const BUILD_CONTEXT = ['Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts', 'src']

/** Copies the build context into an empty folder. @param {string} folder */
function copyBuildContext (folder) {
  for (const path of BUILD_CONTEXT) cpSync(join(ROOT, path), join(folder, path), { recursive: true })
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

module.exports = { bundleNodeFlags, copyBuildContext, dockerfileArg, dockerFlags }
