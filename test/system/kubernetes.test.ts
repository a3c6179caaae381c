import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { removeTestImages, waitFor } from '../helpers/docker'
import { KUBECONFIG, LOGIN_REGISTRY, OPEN_REGISTRY, TEST_RUN, hasService, hasTool } from '../helpers/environment'
import { steadyLoad, type LoadResults } from '../helpers/load'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter } from '../helpers/registry'
import { makeDockerConfig, makeUserClone, taskRunner } from '../helpers/task'

// deploy/kubernetes/ on a real cluster, through `task deploy`: three replicas behind a NodePort,
// rolling updates and a deleted pod under steady load, with not one request failed.
const kubeEnv = { ...process.env, KUBECONFIG }
if (hasTool(t, 'task', ['--version'], 'the deployment tests run go-task') &&
    hasTool(t, 'docker', ['info'], 'the deployment tests build and push the image') &&
    hasTool(t, 'kubectl', ['--kubeconfig', KUBECONFIG, 'get', '--raw', '/readyz'], 'the deployment tests need a Kubernetes cluster (KUBECONFIG; `../shared/container-lab/kubernetes up` starts one)') &&
    hasService(t, `http://${OPEN_REGISTRY}/v2/`, 'the cluster pulls the image from an open registry (TEST_REGISTRY)') &&
    hasService(t, `https://${LOGIN_REGISTRY.host}/v2/`, 'and from a registry that needs a login, with an imagePullSecret (TEST_LOGIN_REGISTRY)')) {
  removeTestImages(t)
  const fixtures = t.testdir({ repo: {}, 'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n' })
  const repo = join(fixtures, 'repo')
  const namespace = TEST_RUN
  // A NodePort of this run's own; the cluster's NodePorts answer on 127.0.0.1.
  const nodePort = 30000 + Math.floor(Math.random() * 2700)
  const url = `http://127.0.0.1:${nodePort}`
  const settings = {
    KUBECONFIG,
    K8S_NAMESPACE: namespace,
    NODE_PORT: String(nodePort),
    CONTAINER_REGISTRY: OPEN_REGISTRY,
    CONTAINER_NAMESPACE: TEST_RUN,
    PLATFORMS: 'linux/amd64', // the cluster's node; both platforms are publish.test.ts's business
    DOCKER_CONFIG: join(fixtures, 'docker-config')
  }
  const { task } = taskRunner(repo, settings)
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--namespace', namespace, ...args], { env: kubeEnv, maxBuffer: 16 * 1024 * 1024 })).stdout
  const loginRepository = `${TEST_RUN}/hbaas-server`
  deleteRepositoriesAfter(t, { host: OPEN_REGISTRY }, () => [`${TEST_RUN}/hbaas-server`])
  deleteRepositoriesAfter(t, { host: LOGIN_REGISTRY.host, user: LOGIN_REGISTRY.user, password: LOGIN_REGISTRY.password }, () => [loginRepository])
  t.teardown(() => run('kubectl', ['delete', 'namespace', namespace, '--wait=true', '--timeout=90s'], { env: kubeEnv }).catch(() => {}))

  const pods = async () => JSON.parse(await kubectl('get', 'pods', '--selector', 'app.kubernetes.io/name=hbaas-server', '--output', 'json')).items
  const readyPods = async () => (await pods()).filter((pod: Pod) => pod.metadata.deletionTimestamp === undefined &&
    pod.status.conditions?.some(({ type, status }) => type === 'Ready' && status === 'True'))
  const versionAnswered = async () => (await (await fetch(`${url}/version`)).json() as { version: string }).version
  // Two versions, as two commits of a user's clone would give.
  const [v1, v2] = ['v1.0.0', 'v1.1.0']

  t.before(async () => {
    await makeUserClone(repo)
    await makeDockerConfig(settings.DOCKER_CONFIG)
    for (const version of [v1, v2]) await task(['upload-image'], { VERSION: version })
  })

  t.test('task deploy: three replicas become ready and answer through the NodePort', async t => {
    const { stdout } = await task(['deploy'], { VERSION: v1 })
    t.match(stdout, `hbaas-server ${v1} is rolled out in namespace ${namespace}. It answers on port ${nodePort} of every node`)
    t.equal((await readyPods()).length, 3, 'three pods ready')
    // kube-proxy programs a new Service's NodePort a moment after its pods are ready.
    t.equal(await waitFor(async () => await versionAnswered() === v1, 10_000, 250), true, 'it answers through the NodePort')
    t.equal((await fetch(`${url}/date/25-December`)).status, 200)
    const deployment = JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json'))
    t.equal(deployment.spec.template.spec.containers[0].image, `${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v1}`, 'the image upload-image pushed')
    t.match(JSON.parse(await kubectl('get', 'poddisruptionbudget', 'hbaas-server', '--output', 'json')), { spec: { maxUnavailable: 1 } })
  })

  t.test('a pod runs as user 65532, with a read-only root file system', async t => {
    const [pod] = await readyPods()
    // An ephemeral container beside it, in its process namespace, looks at the server's process.
    const debug = `look-${Date.now()}`
    await kubectl('debug', pod.metadata.name, '--container', debug, '--target', 'hbaas-server', '--profile', 'restricted',
      '--image', 'gcr.io/distroless/nodejs24-debian13:debug-nonroot', '--', 'sh', '-c',
      'stat -c "uid %u" /proc/1; touch /proc/1/root/app/written 2>&1; grep " / / " /proc/1/mountinfo')
    let log = ''
    for (let i = 0; i < 120 && !log.includes('uid'); i++) {
      await setTimeout(500)
      log = await kubectl('logs', pod.metadata.name, '--container', debug).catch(() => '')
    }
    t.match(log, 'uid 65532', 'the server runs as 65532')
    t.match(log, 'Read-only file system', 'it cannot write to its root file system')
    t.match(log, / \/ \/ ro[, ]/, 'the root is mounted read-only')
  })

  t.test('a rolling update under steady load fails nothing, and moves /version to the new version', async t => {
    const load = steadyLoad(url, 300, ['/version', '/date/25-December'])
    await setTimeout(2000)
    await task(['deploy'], { VERSION: v2 })
    await setTimeout(10_000) // the old pods' preStop (5 s) and shutdown, after rollout status returns
    const results = await load.stop()
    t.ok(results.sent > 3000, `${results.sent} requests sent`)
    nothingLost(t, results)
    t.equal(results.versions[0], v1, 'first the old version')
    t.equal(results.versions.at(-1), v2, 'then the new one')
    t.equal((await readyPods()).length, 3)
  })

  t.test('deleting a pod under steady load fails nothing', async t => {
    const load = steadyLoad(url, 300, ['/version', '/date/25-December'])
    await setTimeout(2000)
    const [pod] = await readyPods()
    await kubectl('delete', 'pod', pod.metadata.name, '--wait=true')
    await setTimeout(5000)
    const results = await load.stop()
    nothingLost(t, results)
  })

  t.test('K8S_PEOPLE_FILE mounts your own people, read-only, as PEOPLE_FILE', async t => {
    await task(['deploy'], { VERSION: v2, K8S_PEOPLE_FILE: join(fixtures, 'team.csv') })
    const [pod] = await readyPods()
    t.match(pod.spec.containers[0], { env: [{ name: 'PEOPLE_FILE', value: '/data/people.csv' }], volumeMounts: [{ mountPath: '/data', readOnly: true }] })
    // Once the old pods have let go (preStop), only the new people answer.
    const onlyAda = async () => (await (await fetch(`${url}/date/10-December`)).json() as { message: string }).message === 'Happy birthday to Ada Lovelace!'
    t.equal(await waitFor(onlyAda, 20_000, 500), true, '/date/10-December greets only the file\'s people')
  })

  t.test('an image in a registry that needs a login is pulled with K8S_PULL_SECRET', async t => {
    const login = { CONTAINER_REGISTRY: LOGIN_REGISTRY.host, VERSION: 'v1.2.0' }
    await run('sh', ['-c', `printf %s "$PASSWORD" | docker login --username "$USER_NAME" --password-stdin ${LOGIN_REGISTRY.host}`],
      { env: { ...process.env, DOCKER_CONFIG: settings.DOCKER_CONFIG, USER_NAME: LOGIN_REGISTRY.user, PASSWORD: LOGIN_REGISTRY.password } })
    await task(['upload-image'], login)
    await kubectl('create', 'secret', 'docker-registry', 'registry-login', `--docker-server=${LOGIN_REGISTRY.host}`,
      `--docker-username=${LOGIN_REGISTRY.user}`, `--docker-password=${LOGIN_REGISTRY.password}`)
    await task(['deploy'], { ...login, K8S_PULL_SECRET: 'registry-login' })
    const pulled = (await readyPods()).map((pod: { spec: { containers: Array<{ image: string }> } }) => pod.spec.containers[0].image)
    t.same(pulled, Array(3).fill(`${LOGIN_REGISTRY.host}/${loginRepository}:v1.2.0`), 'three pods of the image that needs a login')
    // The old pods serve for a few more seconds (preStop), until kube-proxy has let them go.
    t.equal(await waitFor(async () => await versionAnswered() === 'v1.2.0', 20_000, 500), true, 'and it answers')
  })

  t.test('task undeploy removes it', async t => {
    await task(['undeploy'])
    t.same(JSON.parse(await kubectl('get', 'deployment,service,poddisruptionbudget,configmap', '--selector', 'app.kubernetes.io/name=hbaas-server', '--output', 'json')).items, [])
  })
}

/** No request of a steady load failed, every answer was a 200, and hardly a connection was refused even once. */
function nothingLost (t: Test, results: LoadResults & { sent: number }) {
  t.comment(`${results.sent} requests: ${JSON.stringify(results.statuses)} ${JSON.stringify(results.errors)}, ${results.retried} refused once`)
  t.same(results.errors, {}, 'no request failed')
  t.ok(results.retried <= results.sent / 100, 'hardly any connection refused, even once')
  t.same(Object.keys(results.statuses), ['200'], 'every answer is a 200')
}

interface Pod {
  metadata: { name: string, deletionTimestamp?: string }
  status: { conditions?: Array<{ type: string, status: string }> }
}
