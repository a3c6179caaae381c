import t from 'tap'
import { explainProblem, lasting, newPods, restorable, rolloutState } from '../../../scripts/deploy/rollout-state.mjs'

// What kubectl reports during a rollout of three replicas (revision 2 replacing revision 1), in
// the shapes of `kubectl get … --output json`.
const IMAGE = '123456789012.dkr.ecr.eu-west-2.amazonaws.com/hbaas-server:v1.1.0'
const deployment = (status: object, generation = 2, revision = '2') => ({
  metadata: { uid: 'd-1', generation, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { replicas: 3, template: { spec: { containers: [{ image: IMAGE }] } } },
  status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, ...status }
})
const pod = (containerStatus: object) => ({ metadata: { name: 'hbaas-server-7d9f-abcde' }, status: { containerStatuses: [{ name: 'hbaas-server', ...containerStatus }] } })
const running = pod({ state: { running: {} } })

t.test('done once every replica is of the new revision and available, and no old one is left', async t => {
  t.same(rolloutState(deployment({}), [running, running, running]), { done: true })
  t.same(rolloutState(deployment({ observedGeneration: 1 }), []), { done: false, waiting: 'the new version to be scheduled' })
  t.same(rolloutState(deployment({ updatedReplicas: 1, replicas: 4 }), [running]), { done: false, waiting: '1 of 3 new pods started' })
  t.same(rolloutState(deployment({ replicas: 4 }), [running, running, running]), { done: false, waiting: '1 old pods to stop' })
  t.same(rolloutState(deployment({ availableReplicas: 2 }), [running, running, running]), { done: false, waiting: '2 of 3 new pods ready' })
  t.same(rolloutState({ ...deployment({}), status: undefined }, []), { done: false, waiting: 'the new version to be scheduled' }, 'no status yet')
  t.same(rolloutState({ ...deployment({}), spec: { template: deployment({}).spec.template }, status: { observedGeneration: 2 } }, []),
    { done: false, waiting: '0 of 1 new pods started' }, 'one replica by default')
})

t.test('an image the cluster cannot pull, or a container that cannot start, is a problem at once', async t => {
  const unauthorized = pod({ state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}":\n ErrImagePull: failed to resolve reference: 401 Unauthorized` } } })
  t.same(rolloutState(deployment({ updatedReplicas: 1, replicas: 4 }), [running, unauthorized]), {
    done: false,
    problem: { kind: 'pull', pod: 'hbaas-server-7d9f-abcde', reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}": ErrImagePull: failed to resolve reference: 401 Unauthorized` }
  }, 'the message on one line')
  const exited = pod({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', message: '{"level":30}\nhbaas-server cannot start: /data/people.csv, line 2: no date\n' } } })
  t.match(rolloutState(deployment({}), [exited]), { problem: { kind: 'start', reason: 'exit code 1', message: 'hbaas-server cannot start: /data/people.csv, line 2: no date' } }, 'the last line of its log')
  const firstExit = pod({ state: { terminated: { exitCode: 1 } } })
  t.match(rolloutState(deployment({}), [firstExit]), { problem: { kind: 'start', reason: 'exit code 1', message: '' } }, 'already at its first exit')
  const noConfig = { metadata: { name: 'p' }, status: { initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "hbaas-people" not found' } } }] } }
  t.match(rolloutState(deployment({}), [noConfig]), { problem: { kind: 'start', reason: 'CreateContainerConfigError', message: 'configmap "hbaas-people" not found' } })
  t.match(rolloutState(deployment({}), [pod({ state: { waiting: { reason: 'InvalidImageName' } } })]), { problem: { kind: 'pull', message: '' } }, 'with or without a message')
  const starting = [pod({ state: { waiting: { reason: 'ContainerCreating' } } }), pod({ lastState: { terminated: { exitCode: 0 } } }), { metadata: { name: 'pending' } }]
  t.same(rolloutState(deployment({ availableReplicas: 0 }), starting), { done: false, waiting: '0 of 3 new pods ready' }, 'a pod on its way is no problem')
})

t.test('the new pods are those of the Deployment\'s own ReplicaSet of its current revision', async t => {
  const replicaSet = (name: string, revision: string, hash: string, owner = 'd-1') =>
    ({ metadata: { name, labels: { 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ uid: owner }] } })
  const labelled = (name: string, hash: string) => ({ metadata: { name, labels: { 'pod-template-hash': hash } } })
  const pods = [labelled('old-1', 'aaa'), labelled('new-1', 'bbb'), labelled('other-1', 'ccc'), { metadata: { name: 'bare' } }]
  const sets = [replicaSet('old', '1', 'aaa'), replicaSet('other', '2', 'ccc', 'd-2'), replicaSet('new', '2', 'bbb'), { metadata: { name: 'bare' } }]
  t.same(newPods(deployment({}), sets, pods).map(({ metadata }) => metadata.name), ['new-1'])
  t.same(newPods(deployment({}), [replicaSet('old', '1', 'aaa')], pods), [], 'none while the new ReplicaSet is not made yet')
  t.same(newPods(deployment({}), [{ metadata: { name: 'new', annotations: { 'deployment.kubernetes.io/revision': '2' }, ownerReferences: [{ uid: 'd-1' }] } }], pods), [], 'nor while it has no hash')
})

t.test('a container that cannot start or an image that does not exist is a lasting problem at once, a refused pull only after kubelet has tried again', async t => {
  const problem = (kind: 'pull' | 'start', message = '') => ({ kind, pod: 'p', reason: 'r', message })
  t.equal(lasting(problem('start'), 1000, 1000), true)
  t.equal(lasting(problem('pull', 'failed to resolve reference "r/x:v9": r/x:v9: not found'), 1000, 1000), true, 'no such image: at once')
  t.equal(lasting(problem('pull', 'manifest unknown'), 1000, 1000), true)
  const unauthorized = problem('pull', 'failed to authorize: 401 Unauthorized')
  t.equal(lasting(unauthorized, 1000, 1000), false, 'a pull Secret may reach the node after the first try')
  t.equal(lasting(unauthorized, 1000, 15_999), false)
  t.equal(lasting(unauthorized, 1000, 16_000), true, '15 s later, past the second try')
  t.equal(lasting(problem('pull', 'dial tcp: i/o timeout'), 1000, 1000), false, 'nor the network at once')
})

t.test('the line that explains a problem names its cause and what to do', async t => {
  const problem = (kind: 'pull' | 'start', reason: string, message: string) => explainProblem({ kind, pod: 'hbaas-server-1', reason, message }, IMAGE, 'hbaas')
  t.equal(problem('pull', 'ErrImagePull', 'failed to resolve reference: 401 Unauthorized'),
    `The cluster cannot pull ${IMAGE}: pod hbaas-server-1: ErrImagePull: failed to resolve reference: 401 Unauthorized. ` +
    'The cluster needs a login for this registry: make a pull Secret (`task k8s:pull-secret` for ECR) and deploy with K8S_PULL_SECRET (docs/kubernetes.md, "Images that need a login").')
  t.match(problem('pull', 'ErrImagePull', 'failed to resolve reference "x:v9": x:v9: not found'), 'No such image: push this version first (`task image:upload` with the same VERSION)')
  t.match(problem('pull', 'ImagePullBackOff', 'dial tcp 10.0.0.1:443: i/o timeout'), 'Check that the cluster can reach the registry')
  t.equal(problem('start', 'exit code 1', 'hbaas-server cannot start: PORT is "x"'),
    `${IMAGE} does not start: pod hbaas-server-1: exit code 1: hbaas-server cannot start: PORT is "x". Its log: kubectl --namespace hbaas logs --previous hbaas-server-1`)
  t.equal(problem('start', 'CreateContainerConfigError', ''), `${IMAGE} does not start: pod hbaas-server-1: CreateContainerConfigError. Its log: kubectl --namespace hbaas logs --previous hbaas-server-1`)
})

t.test('what a rollback applies is the Deployment as it ran, without the server\'s bookkeeping', async t => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'hbaas-server',
      namespace: 'team',
      uid: 'd-1',
      generation: 4,
      resourceVersion: '1234',
      labels: { 'app.kubernetes.io/name': 'hbaas-server' },
      annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{"the failed":"one"}', 'team/owner': 'ada' }
    },
    spec: { replicas: 3, template: { spec: { containers: [{ image: IMAGE, env: [{ name: 'PEOPLE_FILE', value: '/data/people.csv' }] }] } } },
    status: { observedGeneration: 4, replicas: 3 }
  }
  t.same(restorable(live), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hbaas-server', namespace: 'team', labels: { 'app.kubernetes.io/name': 'hbaas-server' }, annotations: { 'team/owner': 'ada' } },
    spec: live.spec
  })
})
