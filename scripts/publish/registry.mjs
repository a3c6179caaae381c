// What `task image:upload` checks of the registry before it builds anything, and what it says
// when a push fails: the likely cause of that failure, read from the build's own output.
//   node scripts/publish/registry.mjs check REGISTRY      the name is a host, and the host answers
//   node scripts/publish/registry.mjs explain REGISTRY    < the build's output: one line, the cause
import { readFileSync } from 'node:fs'
import https from 'node:https'
import { isMain } from '../lib/main.mjs'

/** Whether a registry is AWS ECR's, whose logins and repositories have tasks of their own. @param {string} registry */
const isEcr = registry => /\.dkr\.ecr\.[\w-]+\.amazonaws\.com(\.cn)?$/.test(registry)

// A host name or IPv4 address, or an IPv6 one in brackets, and an optional port: what Docker
// takes as the first part of an image name. No scheme, no path.
const REGISTRY_NAME = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/

/** Why a registry name is not one, or undefined. @param {string} registry */
function registryNameProblem (registry) {
  if (REGISTRY_NAME.test(registry)) return undefined
  return `CONTAINER_REGISTRY is "${registry}" but must be a registry's host, with a port if it needs one ` +
    '(registry.example.com, 127.0.0.1:5000): no https://, no path (a path goes in CONTAINER_NAMESPACE).'
}

/**
 * Whether the registry answers its API's address (/v2/) within the time, resolving with why not.
 * Any answer will do: a login comes later, and a plain-HTTP registry answers TLS with an error.
 * Behind a proxy (HTTPS_PROXY) Docker may reach what this machine cannot, so it is not asked.
 * @param {string} registry @param {number} [timeoutMs]
 * @returns {Promise<string | undefined>}
 */
function registryAnswers (registry, timeoutMs = 5000) {
  if (process.env.HTTPS_PROXY || process.env.https_proxy) return Promise.resolve(undefined)
  const [, host, port = '443'] = /** @type {RegExpMatchArray} */ (registry.match(/^\[?(.*?)\]?(?::(\d+))?$/))
  return new Promise(resolve => {
    const request = https.get({ host, port: Number(port), path: '/v2/', rejectUnauthorized: false, timeout: timeoutMs, agent: false })
    request.once('response', response => { response.destroy(); resolve(undefined) })
    request.once('timeout', () => { request.destroy(); resolve(`no answer within ${timeoutMs / 1000} s`) })
    request.once('error', (/** @type {NodeJS.ErrnoException} */ error) => resolve(UNREACHABLE.has(String(error.code)) ? error.message : undefined))
  }).then(why => why && `The registry ${registry} does not answer (${why}): check CONTAINER_REGISTRY, or start the registry.`)
}
// The errors of a host that is not there; any other (a TLS error, a reset) came from something that is.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

// What a failed build or push prints, and what it most likely means, first match wins.
/** @type {Array<[RegExp, (registry: string) => string]>} */
const CAUSES = [
  [/Multi-platform build is not supported/i, () =>
    'This builder cannot build several platforms at once: use a multi-platform builder (BUILDX_BUILDER; see docs/publishing.md, "Both architectures") or one platform (PLATFORMS=linux/amd64).'],
  [/not authorized to perform|AccessDenied/i, () =>
    'Your AWS identity may not push to ECR: it needs the ECR permissions listed in docs/publishing.md ("AWS permissions").'],
  [/authorization token has expired|no basic auth credentials|\b401\b|unauthorized|authentication required|denied|failed to authorize/i, registry => isEcr(registry)
    ? `Not logged in to ${registry}, or the login has expired (it lasts 12 hours): run \`task ecr:login\`, or use the ECR credential helper (docs/publishing.md, "Logging in").`
    : `Not logged in to ${registry}: run \`docker login ${registry}\`.`],
  [/name unknown|repository with name .* does not exist/i, registry => isEcr(registry)
    ? 'The ECR repository does not exist: run `task ecr:create-repository` first.'
    : `${registry} has no such repository, and does not create it on a push: create it there first.`],
  [/x509|certificate signed by unknown authority|server gave HTTP response to HTTPS client/i, registry =>
    `Docker does not trust ${registry}'s TLS certificate, or the registry speaks plain HTTP: give Docker its CA (/etc/docker/certs.d/${registry}/ca.crt) or list it in insecure-registries.`],
  [/connection refused|no such host|i\/o timeout|network is unreachable|connection reset/i, registry =>
    `The connection to ${registry} failed during the push: check that it is up and reachable from Docker.`]
]

/** The likely cause of a failed build or push, from its output, as one line. @param {string} output @param {string} registry */
function explainPushFailure (output, registry) {
  const cause = CAUSES.find(([pattern]) => pattern.test(output))
  return cause ? `Push to ${registry} failed. ${cause[1](registry)}` : `Building or pushing to ${registry} failed: see the error above.`
}

export { isEcr, registryNameProblem, registryAnswers, explainPushFailure }

if (isMain(import.meta)) {
  const [command, registry] = process.argv.slice(2)
  if (command === 'explain') {
    console.error(explainPushFailure(readFileSync(0, 'utf8'), registry))
  } else {
    const nameProblem = registryNameProblem(registry)
    Promise.resolve(nameProblem ?? registryAnswers(registry)).then(problem => {
      if (problem) console.error(problem)
      process.exitCode = problem ? 1 : 0
    })
  }
}
