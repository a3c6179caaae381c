// `task k8s:deploy`, once the overlay is written: applies it, waits for the rollout, and whenever
// anything fails after the apply began, puts the Deployment back as it was. Usage:
//   node scripts/deploy/deploy.mjs --namespace hbaas --kustomize .task/deploy [--timeout 300]
// - The apply is server-side: no copy of each object in an annotation, which kubectl's client-side
//   apply limits to 256 KiB, so a people ConfigMap can hold what the API server takes (1 MiB).
// - It waits as `kubectl rollout status` does, but stops as soon as a new pod shows that it will
//   never become ready (its image cannot be pulled, or the server exits at start-up), and says why
//   in one line (rollout-state.mjs).
// - Rolling back is applying the Deployment as it was before, with the same field manager, so that
//   the next deploy owns every field again and applies exactly what it is given.
// - Once the new version is rolled out, or the old one is back, the people ConfigMaps that the
//   Deployment no longer uses are deleted.
import { execFile } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { isDeepStrictEqual, parseArgs, promisify } from 'node:util'
import { explainProblem, lasting, newPods, restorable, rolloutState } from './rollout-state.mjs'

const { values: options } = parseArgs({
  options: {
    namespace: { type: 'string', default: 'default' },
    kustomize: { type: 'string', default: '.task/deploy' },
    timeout: { type: 'string', default: '300' } // seconds, for the rollout
  }
})
const DEPLOYMENT = 'hbaas-server'
const SELECTOR = `app.kubernetes.io/name=${DEPLOYMENT}`

/** kubectl in the namespace: its output; a failure's message is kubectl's own last line. @param {string[]} args @param {string} [input] */
async function kubectl (args, input) {
  const running = promisify(execFile)('kubectl', ['--namespace', options.namespace, ...args], { maxBuffer: 64 * 1024 * 1024 })
  if (input !== undefined) running.child.stdin?.end(input)
  try {
    return (await running).stdout
  } catch (error) {
    throw new Error(`kubectl ${args[0]} failed: ${/** @type {Error} */ (error).message.trim().split('\n').at(-1)}`)
  }
}
/** @param {...string} args */
const kubectlJson = async (...args) => JSON.parse(await kubectl([...args, '--output', 'json']))

/** The Deployment as the cluster has it now, or undefined if there is none. @returns {Promise<import('./rollout-state.mjs').LiveDeployment | undefined>} */
async function deploymentNow () {
  const { items } = await kubectlJson('get', 'deployments', '--field-selector', `metadata.name=${DEPLOYMENT}`)
  return items[0]
}

async function main () {
  const before = await deploymentNow()
  try {
    process.stdout.write(await kubectl(['apply', '--server-side', '--force-conflicts', '--kustomize', options.kustomize]))
    await awaitRollout()
    await deleteUnusedPeople()
  } catch (error) {
    console.error(/** @type {Error} */ (error).message)
    await restore(before)
    process.exitCode = 1
  }
}

/** Waits until the rollout is done; throws, saying why, once it cannot be, or after the timeout. */
async function awaitRollout () {
  const deadline = Date.now() + Number(options.timeout) * 1000
  let said = ''
  /** When each pod's problem was first seen. */
  const firstSeen = new Map()
  for (;;) {
    const deployment = await kubectlJson('get', 'deployment', DEPLOYMENT)
    const replicaSets = (await kubectlJson('get', 'replicasets', '--selector', SELECTOR)).items
    const pods = newPods(deployment, replicaSets, (await kubectlJson('get', 'pods', '--selector', SELECTOR)).items)
    const state = rolloutState(deployment, pods)
    const image = deployment.spec.template.spec.containers[0].image
    if (state.done) return
    const problem = 'problem' in state ? state.problem : undefined
    if (problem && !firstSeen.has(problem.pod)) firstSeen.set(problem.pod, Date.now())
    if (problem && lasting(problem, firstSeen.get(problem.pod), Date.now())) throw new Error(explainProblem(problem, image, options.namespace))
    const waiting = problem ? `${problem.reason} in pod ${problem.pod} to clear` : /** @type {{ waiting: string }} */ (state).waiting
    if (Date.now() > deadline) throw new Error(`${image} is not rolled out after ${options.timeout} s: still waiting for ${waiting}.`)
    if (waiting !== said) console.log(`Waiting for ${waiting} …`)
    said = waiting
    await sleep(1000)
  }
}

/**
 * Puts the Deployment back as it was before this deploy, and waits until that version serves
 * alone; says what it did. @param {import('./rollout-state.mjs').LiveDeployment | undefined} before
 */
async function restore (before) {
  if (!before) {
    console.error(`Nothing was deployed here before: \`task k8s:undeploy\` removes this one (namespace ${options.namespace}).`)
    return
  }
  try {
    if (isDeepStrictEqual((await deploymentNow())?.spec.template, before.spec.template)) {
      console.error('The Deployment was not changed: the version deployed before keeps serving.')
    } else {
      await kubectl(['apply', '--server-side', '--force-conflicts', '--filename', '-'], JSON.stringify(restorable(before)))
      await kubectl(['rollout', 'status', `deployment/${DEPLOYMENT}`, '--timeout', '60s'])
      console.error('Rolled back: the version deployed before keeps serving.')
    }
    // A people file of the failed deploy leaves no ConfigMap behind either.
    await deleteUnusedPeople()
  } catch (error) {
    console.error(`Rolling back failed too (${/** @type {Error} */ (error).message}): see kubectl --namespace ${options.namespace} rollout history deployment/${DEPLOYMENT}.`)
  }
}

/** Deletes the people ConfigMaps of earlier deploys: a new file makes a new one, with its hash in its name. */
async function deleteUnusedPeople () {
  const volumes = (await kubectlJson('get', 'deployment', DEPLOYMENT)).spec.template.spec.volumes ?? []
  const used = new Set(volumes.map((/** @type {{ configMap?: { name: string } }} */ volume) => volume.configMap?.name))
  const { items } = await kubectlJson('get', 'configmaps', '--selector', `${SELECTOR},app.kubernetes.io/component=people`)
  const unused = items.map((/** @type {{ metadata: { name: string } }} */ { metadata }) => metadata.name).filter((/** @type {string} */ name) => !used.has(name))
  if (unused.length) await kubectl(['delete', 'configmap', ...unused])
}

main().catch(error => {
  console.error(error.message)
  process.exitCode = 1
})
