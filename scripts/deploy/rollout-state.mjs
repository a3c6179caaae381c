// Where a Deployment's rollout stands, read from what kubectl reports of it, its ReplicaSets and
// the new ReplicaSet's pods: done, still going, or stuck on something that waiting will not fix
// (an image the cluster cannot pull, a server that exits at start-up). Pure, so that every case
// is tested without a cluster; scripts/deploy/deploy.mjs asks kubectl and acts on it.

// A container waiting for one of these will not start without a change: a login, an image, a fix.
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'])
const START_FAILURES = new Set(['CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError'])

/**
 * @typedef {{ waiting?: { reason?: string, message?: string }, terminated?: { exitCode: number, reason?: string, message?: string } }} ContainerState
 * @typedef {{ name: string, state?: ContainerState, lastState?: ContainerState }} ContainerStatus
 * @typedef {{ metadata: { name: string, labels?: Record<string, string> }, status?: { containerStatuses?: ContainerStatus[], initContainerStatuses?: ContainerStatus[] } }} Pod
 * @typedef {{ metadata: { uid: string, generation: number, annotations?: Record<string, string> }, spec: { replicas?: number, template: { spec: { containers: Array<{ image: string }> } } }, status?: { observedGeneration?: number, replicas?: number, updatedReplicas?: number, availableReplicas?: number } }} Deployment
 * @typedef {{ metadata: { name: string, annotations?: Record<string, string>, labels?: Record<string, string>, ownerReferences?: Array<{ uid: string }> } }} ReplicaSet
 * @typedef {Deployment & { apiVersion: string, kind: string, metadata: { name: string, namespace: string, labels?: Record<string, string> } }} LiveDeployment
 * @typedef {{ kind: 'pull' | 'start', pod: string, reason: string, message: string }} Problem
 * @typedef {{ done: true } | { done: false, waiting: string } | { done: false, problem: Problem }} RolloutState
 */

const REVISION = 'deployment.kubernetes.io/revision'
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** The ReplicaSet of the Deployment's current revision, if the controller has made it yet. @param {Deployment} deployment @param {ReplicaSet[]} replicaSets */
function newReplicaSet (deployment, replicaSets) {
  const revision = deployment.metadata.annotations?.[REVISION]
  return replicaSets.find(({ metadata }) => metadata.ownerReferences?.some(({ uid }) => uid === deployment.metadata.uid) &&
    metadata.annotations?.[REVISION] === revision)
}

/**
 * The pods of the Deployment's current revision, among `pods`: none until the controller has made
 * its ReplicaSet.
 * @param {Deployment} deployment @param {ReplicaSet[]} replicaSets @param {Pod[]} pods
 */
function newPods (deployment, replicaSets, pods) {
  const hash = newReplicaSet(deployment, replicaSets)?.metadata.labels?.['pod-template-hash']
  return hash ? pods.filter(({ metadata }) => metadata.labels?.['pod-template-hash'] === hash) : []
}

/**
 * Where the rollout stands. `pods` are the new ReplicaSet's (newPods()).
 * Done as kubectl rollout status says it: the controller has seen this generation, and every
 * replica is updated and available, with no old one left.
 * @param {Deployment} deployment @param {Pod[]} pods @returns {RolloutState}
 */
function rolloutState (deployment, pods) {
  for (const pod of pods) {
    const problem = podProblem(pod)
    if (problem) return { done: false, problem }
  }
  const { observedGeneration = 0, replicas = 0, updatedReplicas = 0, availableReplicas = 0 } = deployment.status ?? {}
  const wanted = deployment.spec.replicas ?? 1
  if (observedGeneration < deployment.metadata.generation) return { done: false, waiting: 'the new version to be scheduled' }
  if (updatedReplicas < wanted) return { done: false, waiting: `${updatedReplicas} of ${wanted} new pods started` }
  if (replicas > updatedReplicas) return { done: false, waiting: `${replicas - updatedReplicas} old pods to stop` }
  if (availableReplicas < updatedReplicas) return { done: false, waiting: `${availableReplicas} of ${wanted} new pods ready` }
  return { done: true }
}

/** Why a pod's containers cannot start, if a waiting reason or an exit at start-up says so. @param {Pod} pod @returns {Problem | undefined} */
function podProblem ({ metadata, status = {} }) {
  for (const container of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const { waiting } = container.state ?? {}
    const exited = container.state?.terminated ?? container.lastState?.terminated
    if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) {
      return { kind: 'pull', pod: metadata.name, reason: waiting.reason, message: oneLine(waiting.message) }
    }
    // An exit's message is the end of its log (terminationMessagePolicy: FallbackToLogsOnError).
    if (exited && exited.exitCode !== 0) {
      return { kind: 'start', pod: metadata.name, reason: `exit code ${exited.exitCode}`, message: lastLine(exited.message) }
    }
    if (waiting?.reason && START_FAILURES.has(waiting.reason)) {
      return { kind: 'start', pod: metadata.name, reason: waiting.reason, message: oneLine(waiting.message) }
    }
  }
  return undefined
}

// Long enough for kubelet's second try at a pull (10 s after the first): a pull Secret made a
// moment before the pod may reach the node only after its first try.
const PULL_RETRY_MS = 15_000

/**
 * Why an image cannot be pulled, read from kubelet's message: the registry wants a login, there is
 * no such image, or something else (the network, a certificate).
 * @param {string} message @returns {'login' | 'missing' | 'other'}
 */
function pullCause (message) {
  if (/\b401\b|unauthorized|no basic auth|authorization|denied/i.test(message)) return 'login'
  return /not found|manifest unknown|name unknown/i.test(message) ? 'missing' : 'other'
}

/**
 * Whether a problem is there to stay: a container that cannot start, or an image that does not
 * exist, at once; any other pull failure once it has lasted PULL_RETRY_MS.
 * @param {Problem} problem @param {number} firstSeenMs when it was first seen @param {number} nowMs
 */
function lasting ({ kind, message }, firstSeenMs, nowMs) {
  return kind === 'start' || pullCause(message) === 'missing' || nowMs - firstSeenMs >= PULL_RETRY_MS
}

/** @param {string | undefined} text */
const oneLine = text => (text ?? '').replace(/\s+/g, ' ').trim()
/** @param {string | undefined} text */
const lastLine = text => oneLine((text ?? '').trim().split('\n').at(-1))

/**
 * The one line that says why the rollout failed and what to do about it.
 * @param {Problem} problem @param {string} image @param {string} namespace
 */
function explainProblem ({ kind, pod, reason, message }, image, namespace) {
  const cause = `pod ${pod}: ${reason}${message ? `: ${message}` : ''}`
  if (kind === 'pull') {
    const what = {
      login: 'The cluster needs a login for this registry: make a pull Secret (`task k8s:pull-secret` for ECR) and deploy with K8S_PULL_SECRET (docs/kubernetes.md, "Images that need a login").',
      missing: 'No such image: push this version first (`task image:upload` with the same VERSION), or deploy one that was pushed.',
      other: 'Check that the cluster can reach the registry, and that this version was pushed (`task image:upload`).'
    }[pullCause(message)]
    return `The cluster cannot pull ${image}: ${cause}. ${what}`
  }
  return `${image} does not start: ${cause}. Its log: kubectl --namespace ${namespace} logs --previous ${pod}`
}

/**
 * A Deployment as `kubectl get` gives it, made into what `kubectl apply` can put back: its name,
 * labels, our annotations and spec, without the server's bookkeeping (status, revision, ids) or
 * client-side apply's record of an earlier configuration.
 * @param {LiveDeployment} deployment
 */
function restorable ({ apiVersion, kind, metadata: { name, namespace, labels, annotations = {} }, spec }) {
  const ours = Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== REVISION && key !== LAST_APPLIED))
  return { apiVersion, kind, metadata: { name, namespace, labels, annotations: ours }, spec }
}

export { newPods, rolloutState, lasting, explainProblem, restorable }
