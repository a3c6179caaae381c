// Waits for `task k8s:deploy`'s rollout, as `kubectl rollout status` does, but stops as soon as a new
// pod shows that it will never become ready (its image cannot be pulled, after kubelet's second try,
// or the server exits at start-up): then it says why in one line, rolls the Deployment back to the version before, which
// kept serving (maxUnavailable: 0), and exits 1. Usage:
//   node scripts/deploy/await-rollout.cjs --namespace hbaas [--deployment hbaas-server] [--timeout 300]
'use strict'
const { execFile } = require('node:child_process')
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { dirname, join } = require('node:path')
const { setTimeout: sleep } = require('node:timers/promises')
const { parseArgs, promisify } = require('node:util')
const { explainProblem, hasPreviousRevision, lastAppliedAfterUndo, lasting, newPods, rolloutState } = require('./rollout-state.cjs')

const { values: options } = parseArgs({
  options: {
    namespace: { type: 'string', default: 'default' },
    deployment: { type: 'string', default: 'hbaas-server' },
    timeout: { type: 'string', default: '300' } // seconds
  }
})

/** kubectl in the namespace, its output parsed as JSON. @param {...string} args */
async function kubectl (...args) {
  const { stdout } = await promisify(execFile)('kubectl', ['--namespace', options.namespace, ...args], { maxBuffer: 64 * 1024 * 1024 })
  return stdout
}
/** @param {...string} args */
const kubectlJson = async (...args) => JSON.parse(await kubectl(...args, '--output', 'json'))

async function main () {
  const deadline = Date.now() + Number(options.timeout) * 1000
  let said = ''
  /** When each pod's problem was first seen. */
  const firstSeen = new Map()
  for (;;) {
    /** @type {import('./rollout-state.cjs').Deployment} */
    const deployment = await kubectlJson('get', 'deployment', options.deployment)
    const selector = `app.kubernetes.io/name=${options.deployment}`
    const replicaSets = (await kubectlJson('get', 'replicasets', '--selector', selector)).items
    const pods = newPods(deployment, replicaSets, (await kubectlJson('get', 'pods', '--selector', selector)).items)
    const state = rolloutState(deployment, pods)
    const image = deployment.spec.template.spec.containers[0].image
    if (state.done) return
    const problem = 'problem' in state ? state.problem : undefined
    if (problem && !firstSeen.has(problem.pod)) firstSeen.set(problem.pod, Date.now())
    if (problem && lasting(problem, firstSeen.get(problem.pod), Date.now())) return fail(explainProblem(problem, image, options.namespace), deployment)
    const waiting = problem ? `${problem.reason} in pod ${problem.pod} to clear` : /** @type {{ waiting: string }} */ (state).waiting
    if (Date.now() > deadline) return fail(`${image} is not rolled out after ${options.timeout} s: still waiting for ${waiting}.`, deployment)
    if (waiting !== said) console.log(`Waiting for ${waiting} …`)
    said = waiting
    await sleep(1000)
  }
}

/** Says why, rolls back to the version before if there is one, and exits 1. @param {string} why @param {import('./rollout-state.cjs').Deployment} deployment */
async function fail (why, deployment) {
  console.error(why)
  if (hasPreviousRevision(deployment)) {
    await kubectl('rollout', 'undo', `deployment/${options.deployment}`)
    await kubectl('rollout', 'status', `deployment/${options.deployment}`, '--timeout', '60s')
    // So that the next deploy applies exactly what it is given (see lastAppliedAfterUndo).
    const file = join(mkdtempSync(join(tmpdir(), 'hbaas-rollback-')), 'deployment.json')
    writeFileSync(file, JSON.stringify(lastAppliedAfterUndo(await kubectlJson('get', 'deployment', options.deployment))))
    await kubectl('apply', 'set-last-applied', '--create-annotation', '--filename', file)
    rmSync(dirname(file), { recursive: true })
    console.error('Rolled back: the version deployed before keeps serving.')
  } else {
    console.error(`Nothing was deployed here before: \`task k8s:undeploy\` removes this one (namespace ${options.namespace}).`)
  }
  process.exitCode = 1
}

main().catch(error => {
  // kubectl's own reason is the last line of the error.
  console.error(`Waiting for the rollout failed: ${error.message.trim().split('\n').at(-1)}`)
  process.exitCode = 1
})
