import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import t, { type Test } from 'tap'
import { removeTestImages } from '../helpers/docker'
import { docker, dockerLogin } from '../../scripts/lib/docker.mjs'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { DOCKER_BUILD_FLAGS, ECR, ECR_EXPORTS, ECR_REGISTRY, KUBECONFIG, LOGIN_REGISTRY, OPEN_REGISTRY, SERVICE_MONITOR_CRD, serviceMonitorCrd, TEST_RUN, TEST_RUN_LABEL, hasService, hasTool, ecrAws } from '../helpers/environment'
import { steadyLoad, type LoadResults } from '../helpers/load'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter } from '../helpers/registry'
import { makeDockerConfig, makeUserClone, taskRunner } from '../helpers/task'
import { ROOT } from '../helpers/root'
import { writePeopleFile } from '../../scripts/lib/people-file.mjs'

// deploy/kubernetes/ on a real cluster, through `task deploy`: three replicas behind a NodePort,
// rolling updates and a deleted pod under steady load, with not one request failed.
const kubeEnv = { ...process.env, KUBECONFIG }
if (hasTool(t, 'task', ['--version'], 'the deployment tests run go-task') &&
    hasTool(t, 'docker', ['info'], 'the deployment tests build and push the image') &&
    hasTool(t, 'kubectl', ['--kubeconfig', KUBECONFIG, 'get', '--raw', '/readyz'], 'the deployment tests need a Kubernetes cluster (KUBECONFIG; `../shared/container-lab/kubernetes up` starts one)') &&
    hasService(t, `http://${OPEN_REGISTRY}/v2/`, 'the cluster pulls the image from an open registry (TEST_REGISTRY)') &&
    hasService(t, `https://${LOGIN_REGISTRY.host}/v2/`, 'and from a registry that needs a login, with an imagePullSecret (TEST_LOGIN_REGISTRY)') &&
    hasTool(t, 'aws', ['--version'], 'task k8s:pull-secret asks the AWS CLI for an ECR login') &&
    (SERVICE_MONITOR_CRD !== undefined || hasTool(t, 'go', ['version'], 'the Prometheus Operator\'s ServiceMonitor CRD comes from its Go module (or TEST_SERVICE_MONITOR_CRD)')) &&
    hasService(t, ECR.endpoint, 'the cluster pulls from ECR with the Secret that task k8s:pull-secret makes (TEST_AWS_ENDPOINT_URL)')) {
  removeTestImages(t)
  const fixtures = t.testdir({
    repo: {},
    'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n',
    'broken-team.csv': 'name,birth_date\nAda Lovelace,1815-13-10\n'
  })
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
  const { task, taskResult } = taskRunner(repo, settings)
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--namespace', namespace, ...args], { env: kubeEnv, maxBuffer: 16 * 1024 * 1024 })).stdout
  /** scripts/deploy/deploy.mjs of this project, run directly (a task runs its clone's copy): its exit code and output. */
  const deployScript = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, [join(ROOT, 'scripts/deploy/deploy.mjs'), '--namespace', namespace, ...args], { env: { ...kubeEnv, ...env } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (error: { code: number, stdout: string, stderr: string }) => error)
  /** The ConfigMaps in the namespace, but Kubernetes' own. */
  const configMaps = async () => JSON.parse(await kubectl('get', 'configmaps', '--output', 'json')).items
    .map(({ metadata }: { metadata: { name: string } }) => metadata.name).filter((name: string) => name !== 'kube-root-ca.crt')
  /** The Deployment's image now: what the cluster serves once a rollout is done or undone. */
  const deployedImage = async () => JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json')).spec.template.spec.containers[0].image
  const loginRepository = `${TEST_RUN}/hbaas-server`
  deleteRepositoriesAfter(t, { host: OPEN_REGISTRY }, () => [`${TEST_RUN}/hbaas-server`])
  deleteRepositoriesAfter(t, { host: LOGIN_REGISTRY.host, user: LOGIN_REGISTRY.user, password: LOGIN_REGISTRY.password }, () => [loginRepository])
  // A namespace that does not exist until task k8s:pull-secret makes it, for an image in ECR.
  const freshNamespace = `${TEST_RUN}-fresh`
  const ecrRepository = `${TEST_RUN}/hbaas-server`
  t.teardown(async () => {
    await ecrAws('ecr', 'delete-repository', '--force', '--repository-name', ecrRepository).catch(() => {})
    for (const name of [namespace, freshNamespace]) await run('kubectl', ['delete', 'namespace', name, '--wait=true', '--timeout=90s'], { env: kubeEnv }).catch(() => {})
  })

  const pods = async () => JSON.parse(await kubectl('get', 'pods', '--selector', 'app.kubernetes.io/name=hbaas-server', '--output', 'json')).items
  const readyPods = async () => (await pods()).filter((pod: Pod) => pod.metadata.deletionTimestamp === undefined &&
    pod.status.conditions?.some(({ type, status }) => type === 'Ready' && status === 'True'))
  /** A port-forward from 127.0.0.1 to a pod's or Service's port, closed after the test: its local URL. */
  const portForward = async (t: Test, target: string, port: string) => {
    const forward = spawn('kubectl', ['--namespace', namespace, 'port-forward', target, `:${port}`], { env: kubeEnv, stdio: ['ignore', 'pipe', 'inherit'] })
    t.teardown(() => { forward.kill() })
    const [line] = await once(forward.stdout, 'data') as [Buffer]
    return `http://127.0.0.1:${String(line).match(/Forwarding from 127\.0\.0\.1:(\d+)/)?.[1]}`
  }
  const versionAnswered = async () => (await (await fetch(`${url}/version`)).json() as { version: string }).version
  // Two versions, as two commits of a user's clone would give.
  const [v1, v2] = ['v1.0.0', 'v1.1.0']

  t.before(async () => {
    await makeUserClone(repo)
    await makeDockerConfig(settings.DOCKER_CONFIG)
    for (const version of [v1, v2]) await task(['image:upload'], { VERSION: version })
  })

  t.test('task deploy: three replicas become ready and answer through the NodePort', async t => {
    const { stdout } = await task(['k8s:deploy'], { VERSION: v1 })
    t.match(stdout, `${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v1} is rolled out in namespace ${namespace}. It answers on port ${nodePort} of every node`)
    t.equal((await readyPods()).length, 3, 'three pods ready')
    // kube-proxy programs a new Service's NodePort a moment after its pods are ready.
    t.equal(await waitFor(async () => await versionAnswered() === v1, 10_000, 250), true, 'it answers through the NodePort')
    t.equal((await fetch(`${url}/date/25-December`)).status, 200)
    const deployment = JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json'))
    t.equal(deployment.spec.template.spec.containers[0].image, `${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v1}`, 'the image upload-image pushed')
  })

  t.test('each pod answers /metrics on its metrics port (a port-forward), which the public Service and its NodePort never expose', async t => {
    const [pod] = await readyPods()
    t.match(pod.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' }, 'the annotations a Prometheus discovers pods by')
    t.match(pod.spec.containers[0].ports, [{ name: 'http', containerPort: 8000 }, { name: 'metrics', containerPort: 9464 }])
    const metrics = await (await fetch(`${await portForward(t, `pod/${pod.metadata.name}`, 'metrics')}/metrics`)).text()
    t.match(metrics, new RegExp(`^hbaas_build_info\\{version="${v1}",commit="[0-9a-f]+"\\} 1$`, 'm'), 'this version\'s metrics')
    t.match(metrics, /^http_requests_total\{method="GET",route="\/readyz",status_code="200"\} \d+$/m, 'the probes, counted')
    const service = JSON.parse(await kubectl('get', 'service', 'hbaas-server', '--output', 'json'))
    t.same(service.spec.ports.map((port: { port: number }) => port.port), [8000], 'the Service has the API\'s port alone')
    t.equal((await fetch(`${url}/metrics`)).status, 404, 'the NodePort answers /metrics 404')
  })

  t.test('a node drain takes one pod at a time: a second eviction is refused until the first pod\'s replacement is ready', async t => {
    // The disruption controller counts the pods its selector finds a moment after they are ready.
    const budget = async () => JSON.parse(await kubectl('get', 'poddisruptionbudget', 'hbaas-server', '--output', 'json')).status
    t.match(await waitFor(async () => (await budget()).disruptionsAllowed === 1 && budget(), 30_000, 500),
      { expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 }, 'the budget covers the three pods')
    // Evictions go through the API as `kubectl drain` sends them, two at once.
    const evict = async (pod: string) => {
      const request = join(fixtures, `evict-${pod}.json`)
      await writeFile(request, JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } }))
      return run('kubectl', ['create', '--raw', `/api/v1/namespaces/${namespace}/pods/${pod}/eviction`, '--filename', request], { env: kubeEnv })
        .then(() => 'evicted', (error: { stderr: string }) => error.stderr.trim())
    }
    const evictions = (await readyPods()).slice(0, 2).map((pod: Pod) => evict(pod.metadata.name))
    const outcomes = await Promise.all(evictions)
    t.same(outcomes.filter(outcome => outcome === 'evicted').length, 1, `one eviction taken: ${outcomes.join(' | ')}`)
    t.match(outcomes.find(outcome => outcome !== 'evicted'), /TooManyRequests|Cannot evict pod as it would violate the pod's disruption budget/, 'the other refused (429)')
    t.equal(await waitFor(async () => (await readyPods()).length === 3 && (await budget()).disruptionsAllowed === 1, 60_000, 500), true, 'then three pods again')
  })

  t.test('a pod runs as user 65532, with a read-only root file system', async t => {
    const [pod] = await readyPods()
    // An ephemeral container beside it, in its process namespace, looks at the server's process.
    const debug = `look-${Date.now()}`
    await kubectl('debug', pod.metadata.name, '--container', debug, '--target', 'hbaas-server', '--profile', 'restricted',
      '--image', 'gcr.io/distroless/nodejs24-debian13:debug-nonroot', '--', 'sh', '-c',
      'stat -c "uid %u" /proc/1; touch /proc/1/root/app/written 2>&1; grep " / / " /proc/1/mountinfo')
    const log = await waitFor(async () => {
      const text = await kubectl('logs', pod.metadata.name, '--container', debug)
      return text.includes('uid') && text
    }, 60_000, 500) ?? ''
    t.match(log, 'uid 65532', 'the server runs as 65532')
    t.match(log, 'Read-only file system', 'it cannot write to its root file system')
    t.match(log, / \/ \/ ro[, ]/, 'the root is mounted read-only')
  })

  t.test('a rolling update under steady load fails nothing, and moves /version to the new version', async t => {
    const load = steadyLoad(url, 300, ['/version', '/date/25-December'])
    await waitFor(() => load.answered() >= 300, 10_000, 100)
    await task(['k8s:deploy'], { VERSION: v2 })
    // Until the old pods have stopped: their preStop pause and shutdown come after the rollout.
    t.equal(await waitFor(async () => (await pods()).length === 3, 60_000, 500), true, 'only the new pods left')
    const results = await load.stop()
    t.ok(results.sent > 3000, `${results.sent} requests sent`)
    nothingLost(t, results)
    t.equal(results.versions[0], v1, 'first the old version')
    t.equal(results.versions.at(-1), v2, 'then the new one')
    t.equal((await readyPods()).length, 3)
  })

  t.test('deleting a pod under steady load fails nothing', async t => {
    const load = steadyLoad(url, 300, ['/version', '/date/25-December'])
    await waitFor(() => load.answered() >= 300, 10_000, 100)
    const [pod] = await readyPods()
    await kubectl('delete', 'pod', pod.metadata.name, '--wait=true')
    t.equal(await waitFor(async () => (await readyPods()).length === 3, 60_000, 500), true, 'its replacement is ready')
    const results = await load.stop()
    nothingLost(t, results)
  })

  t.test('K8S_PEOPLE_FILE mounts your own people, read-only, as PEOPLE_FILE', async t => {
    await task(['k8s:deploy'], { VERSION: v2, K8S_PEOPLE_FILE: join(fixtures, 'team.csv') })
    const [pod] = await readyPods()
    t.match(pod.spec.containers[0], { env: [{ name: 'PEOPLE_FILE', value: '/data/people.csv' }], volumeMounts: [{ mountPath: '/data', readOnly: true }] })
    // Once the old pods have let go (preStop), only the new people answer.
    const onlyAda = async () => (await (await fetch(`${url}/date/10-December`)).json() as { message: string }).message === 'Happy birthday to Ada Lovelace!'
    t.equal(await waitFor(onlyAda, 20_000, 500), true, '/date/10-December greets only the file\'s people')
  })

  t.test('a deploy whose pods exit at start-up stops at once with the server\'s own reason, and the version before keeps serving', async t => {
    const before = await deployedImage()
    const started = Date.now()
    const failed = await taskResult(['k8s:deploy'], { VERSION: v2, K8S_PEOPLE_FILE: join(fixtures, 'broken-team.csv') })
    t.comment(`task deploy failed after ${((Date.now() - started) / 1000).toFixed(0)} s`)
    t.not(failed.code, 0)
    t.match(failed.stderr, new RegExp(`${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v2} does not start: pod hbaas-server-\\S+: exit code 1: ` +
      'hbaas-server cannot start: /data/people.csv, line 2: birth_date "1815-13-10" is not a real date'), 'the pod\'s last log line says why')
    t.match(failed.stderr, 'Rolled back: the version deployed before keeps serving.')
    t.equal(await deployedImage(), before)
    const onlyAda = async () => (await (await fetch(`${url}/date/10-December`)).json() as { message: string }).message === 'Happy birthday to Ada Lovelace!'
    t.equal(await onlyAda(), true, 'the people before still answer')
    t.equal(await waitFor(async () => (await readyPods()).length === 3 && (await pods()).length === 3, 30_000, 500), true, 'three pods of the version before, no other')
  })

  t.test('a people file of 20,000 people (0.6 MiB, over client-side apply\'s 256 KiB) deploys, every page is served, and the file before leaves no ConfigMap', async t => {
    const company = join(fixtures, 'company-20k.csv')
    await writePeopleFile(company, 20_000)
    const before = await configMaps()
    t.equal(before.length, 1, 'the people ConfigMap of the deploy before: the failed deploy\'s file left none')
    await task(['k8s:deploy'], { VERSION: v2, K8S_PEOPLE_FILE: company })
    const after = await configMaps()
    t.equal(after.length, 1, 'one people ConfigMap')
    t.not(after[0], before[0], 'the new file\'s, not the old one')
    // Every day of a leap year, page by page: together, everyone in the file.
    const answer = async (path: string) => await (await fetch(`${url}${path}`)).json() as { total: number, people: unknown[], next?: string }
    t.equal(await waitFor(async () => (await answer('/date/1-March')).total > 20, 20_000, 500), true, 'the new pods answer')
    let served = 0
    for (let day = new Date(Date.UTC(2024, 0, 1)); day.getUTCFullYear() === 2024; day.setUTCDate(day.getUTCDate() + 1)) {
      for (let path: string | undefined = `/date/${day.getUTCDate()}-${day.getUTCMonth() + 1}?limit=25`; path;) {
        const page = await answer(path)
        served += page.people.length
        path = page.next
      }
    }
    t.equal(served, 20_000, 'every person on some page of some day')
  })

  t.test('a deploy whose image cannot be pulled stops at once naming the cause and K8S_PULL_SECRET, and the version before keeps serving', async t => {
    const login = { CONTAINER_REGISTRY: LOGIN_REGISTRY.host, VERSION: 'v1.2.0' }
    await dockerLogin(LOGIN_REGISTRY, settings.DOCKER_CONFIG)
    await task(['image:upload'], login)
    const started = Date.now()
    const failed = await taskResult(['k8s:deploy'], login)
    t.comment(`task deploy failed after ${((Date.now() - started) / 1000).toFixed(0)} s`)
    t.not(failed.code, 0)
    const [cause] = failed.stderr.split('\n').filter(line => line.startsWith('The cluster cannot pull'))
    t.match(cause, `The cluster cannot pull ${LOGIN_REGISTRY.host}/${loginRepository}:v1.2.0: pod hbaas-server-`)
    t.match(cause, /: (ErrImagePull|ImagePullBackOff): .*401 Unauthorized/, 'the waiting reason and its message')
    t.match(cause, 'make a pull Secret (`task k8s:pull-secret` for ECR) and deploy with K8S_PULL_SECRET')
    t.equal(await deployedImage(), `${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v2}`, 'rolled back')
    t.equal(await versionAnswered(), v2, 'the version before answers')
  })

  t.test('a deploy of an image that was never pushed stops within 15 s, naming it, and the version before keeps serving', async t => {
    const before = await deployedImage()
    const started = Date.now()
    const failed = await taskResult(['k8s:deploy'], { VERSION: 'v9.9.9' })
    const seconds = (Date.now() - started) / 1000
    t.comment(`task deploy failed after ${seconds.toFixed(1)} s`)
    t.ok(seconds <= 15, `within 15 s (${seconds.toFixed(1)} s)`)
    t.match(failed.stderr, `The cluster cannot pull ${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:v9.9.9: pod hbaas-server-`)
    t.match(failed.stderr, 'No such image: push this version first')
    t.match(failed.stderr, 'Rolled back: the version deployed before keeps serving.')
    t.equal(await deployedImage(), before)
  })

  t.test('with a pull Secret the same image is pulled (K8S_PULL_SECRET)', async t => {
    const login = { CONTAINER_REGISTRY: LOGIN_REGISTRY.host, VERSION: 'v1.2.0' }
    await kubectl('create', 'secret', 'docker-registry', 'registry-login', `--docker-server=${LOGIN_REGISTRY.host}`,
      `--docker-username=${LOGIN_REGISTRY.user}`, `--docker-password=${LOGIN_REGISTRY.password}`)
    await task(['k8s:deploy'], { ...login, K8S_PULL_SECRET: 'registry-login' })
    const pulled = (await readyPods()).map((pod: { spec: { containers: Array<{ image: string }> } }) => pod.spec.containers[0].image)
    t.same(pulled, Array(3).fill(`${LOGIN_REGISTRY.host}/${loginRepository}:v1.2.0`), 'three pods of the image that needs a login')
    // The old pods serve for a few more seconds (preStop), until kube-proxy has let them go.
    t.equal(await waitFor(async () => await versionAnswered() === 'v1.2.0', 20_000, 500), true, 'and it answers')
  })

  t.test('a rollout that does not finish in time is rolled back', async t => {
    const before = await deployedImage()
    // The last deploy's overlay, with pods that run but never become ready: no reason to stop early, only the clock.
    const neverReady = join(fixtures, 'never-ready')
    await mkdir(neverReady, { recursive: true })
    await writeFile(join(neverReady, 'kustomization.yaml'), JSON.stringify({
      resources: [relative(neverReady, join(repo, '.task/deploy'))],
      patches: [{ target: { kind: 'Deployment' }, patch: JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe/httpGet/path', value: '/never-ready' }]) }]
    }))
    const waited = await deployScript(['--kustomize', neverReady, '--timeout', '3'])
    t.equal(waited.code, 1)
    t.match(waited.stdout, /^Waiting for .* …$/m, 'it says what it waits for')
    t.match(waited.stderr, `${before} is not rolled out after 3 s: still waiting for `)
    t.match(waited.stderr, 'Rolled back: the version deployed before keeps serving.')
    t.equal(await waitFor(async () => (await readyPods()).length === 3 && (await pods()).length === 3, 60_000, 500), true, 'three pods again')
    const deployment = JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json'))
    t.equal(deployment.spec.template.spec.containers[0].readinessProbe.httpGet.path, '/readyz', 'as it was')
    t.match((await deployScript(['--kustomize', join(repo, '.task/deploy')])).stdout, 'serverside-applied', 'and the same overlay applies again, done at once')
    const nothing = await deployScript(['--kustomize', join(fixtures, 'no-such-overlay')])
    t.equal(nothing.code, 1)
    t.match(nothing.stderr, /^kubectl apply failed: /m, 'an apply that fails before it changes anything')
    t.match(nothing.stderr, 'The Deployment was not changed: the version deployed before keeps serving.')
    const first = await deployScript(['--namespace', `${namespace}-empty`, '--kustomize', join(fixtures, 'no-such-overlay')])
    t.match(first, { code: 1, stderr: /Nothing was deployed here before: `task k8s:undeploy` removes this one/ }, 'where there was nothing before')
    const noCluster = await deployScript(['--kustomize', join(repo, '.task/deploy')], { KUBECONFIG: join(fixtures, 'no-such-kubeconfig') })
    t.match(noCluster, { code: 1, stderr: /^kubectl get failed: / }, 'a cluster that cannot be asked: one line, nothing applied')
  })

  t.test('a failure after the apply, of anything, puts the version before back, and says so', async t => {
    const before = await deployedImage()
    // kubectl as it is, but for one failure once the new version is applied: a cluster that stops answering, say.
    const fakeBin = join(fixtures, 'failing-kubectl')
    await mkdir(fakeBin, { recursive: true })
    const realKubectl = (await run('sh', ['-c', 'command -v kubectl'])).stdout.trim()
    await writeFile(join(fakeBin, 'kubectl'), `#!/bin/sh\ncase "$*" in *'get pods'*) if [ ! -e "${fakeBin}/failed" ]; then touch "${fakeBin}/failed"; ` +
      `echo 'Unable to connect to the server: net/http: TLS handshake timeout' >&2; exit 1; fi;; esac\nexec ${realKubectl} "$@"\n`)
    await chmod(join(fakeBin, 'kubectl'), 0o755)
    const failed = await taskResult(['k8s:deploy'], { VERSION: v1, PATH: `${fakeBin}:${process.env.PATH}` })
    t.not(failed.code, 0)
    t.match(failed.stderr, 'kubectl get failed: Unable to connect to the server: net/http: TLS handshake timeout')
    t.match(failed.stderr, 'Rolled back: the version deployed before keeps serving.')
    t.equal(await deployedImage(), before, 'the Deployment is on the version before')
    t.equal(await waitFor(async () => (await readyPods()).length === 3 && (await pods()).length === 3, 60_000, 500), true, 'three pods of it, no other')

    // And when the cluster fails the rollback too, the deploy says that, and where to look: the
    // overlay of the deploy just rolled back, applied again by the script itself.
    await writeFile(join(fakeBin, 'kubectl'), '#!/bin/sh\ncase "$*" in *\'get pods\'*|*\'rollout status\'*) ' +
      `echo 'Unable to connect to the server: net/http: TLS handshake timeout' >&2; exit 1;; esac\nexec ${realKubectl} "$@"\n`)
    const unlucky = await deployScript(['--kustomize', join(repo, '.task/deploy')], { PATH: `${fakeBin}:${process.env.PATH}` })
    t.match(unlucky.stderr, `Rolling back failed too (kubectl rollout failed: Unable to connect to the server: net/http: TLS handshake timeout): see kubectl --namespace ${namespace} rollout history deployment/hbaas-server.`)
    t.equal(await waitFor(async () => await deployedImage() === before && (await readyPods()).length === 3 && (await pods()).length === 3, 60_000, 500), true, 'what it could put back, it did')
  })

  t.test('a people file too big for a ConfigMap stops the deploy before it applies anything; an image with the file in it is the way', async t => {
    const company = join(fixtures, 'company')
    await mkdir(company)
    await writePeopleFile(join(company, 'people.csv'), 100_000) // about 3 MiB
    const before = await kubectl('get', 'deployment,configmap', '--output', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.generation}{"\\n"}{end}')
    const refused = await taskResult(['k8s:deploy'], { VERSION: v2, K8S_PEOPLE_FILE: join(company, 'people.csv') })
    t.not(refused.code, 0)
    t.match(refused.stderr, /^K8S_PEOPLE_FILE \S+people\.csv is 3\.0 MiB, but a ConfigMap holds at most 1 MiB \(about 30,000 people\): build an image FROM this one .*deploy\/people-image\/Dockerfile.*K8S_IMAGE/m)
    t.equal(await kubectl('get', 'deployment,configmap', '--output', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.generation}{"\\n"}{end}'), before, 'nothing applied')

    const image = `${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v2}-people`
    await docker('build', ...DOCKER_BUILD_FLAGS, '--label', TEST_RUN_LABEL, '--file', join(ROOT, 'deploy/people-image/Dockerfile'),
      '--build-arg', `IMAGE=${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${v2}`, '--tag', image, company)
    await docker('push', image)
    const { stdout } = await task(['k8s:deploy'], { VERSION: v2, K8S_IMAGE: image })
    t.match(stdout, `${image} is rolled out in namespace ${namespace}`)
    const answer = async () => await (await fetch(`${url}/date/1-March`)).json() as { total: number, people: unknown[], next?: string }
    t.equal(await waitFor(async () => (await answer()).total > 200, 20_000, 500), true,
      'the company\'s people answer: a deploy after a rollback applies what it is given, and no volume of an earlier people file is left')
    t.match(await answer(), { people: { length: 100 }, next: '/date/1-March?limit=100&offset=100' }, 'a page, and the next')
  })

  t.test('from nothing: task k8s:pull-secret makes the namespace and the Secret with which the cluster pulls from ECR', async t => {
    const ecr = { ...ECR_EXPORTS, CONTAINER_REGISTRY: '', K8S_NAMESPACE: freshNamespace, NODE_PORT: String(nodePort + 1), VERSION: 'v1.3.0' }
    await task(['ecr:create-repository'], ecr)
    await task(['ecr:login'], ecr)
    await task(['image:upload'], ecr)
    const first = await taskResult(['k8s:deploy'], ecr)
    t.not(first.code, 0)
    t.match(first.stderr, `The cluster cannot pull ${ECR_REGISTRY}/${ecrRepository}:v1.3.0`)
    t.match(first.stderr, `Nothing was deployed here before: \`task k8s:undeploy\` removes this one (namespace ${freshNamespace}).`)
    await task(['k8s:undeploy'], ecr)
    await run('kubectl', ['delete', 'namespace', freshNamespace, '--wait=true'], { env: kubeEnv })
    const { stdout } = await task(['k8s:pull-secret'], ecr)
    t.match(stdout, 'K8S_PULL_SECRET=ecr-login task k8s:deploy')
    const secret = JSON.parse((await run('kubectl', ['--namespace', freshNamespace, 'get', 'secret', 'ecr-login', '--output', 'json'], { env: kubeEnv })).stdout)
    const { auths } = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString())
    t.match(auths[ECR_REGISTRY], { username: 'AWS', password: await ecrAws('ecr', 'get-login-password') }, 'the AWS CLI\'s login for the ECR registry')
    await task(['k8s:pull-secret'], ecr)
    t.pass('and refreshed by running it again')
    await task(['k8s:deploy'], { ...ecr, K8S_PULL_SECRET: 'ecr-login' })
    const freshVersion = async () => (await (await fetch(`http://127.0.0.1:${nodePort + 1}/version`)).json() as { version: string }).version
    t.equal(await waitFor(async () => await freshVersion() === 'v1.3.0', 20_000, 500), true, 'the image from ECR answers')
    await task(['k8s:undeploy'], ecr)
  })

  t.test('K8S_SERVICE_MONITOR=true: the Prometheus Operator\'s ServiceMonitor finds every pod\'s metrics through a Service of their own', async t => {
    const refused = await taskResult(['k8s:deploy'], { VERSION: v2, K8S_SERVICE_MONITOR: 'true' })
    t.not(refused.code, 0, 'without the operator\'s CRD on the cluster')
    t.match(refused.stderr, 'K8S_SERVICE_MONITOR=true needs the Prometheus Operator\'s ServiceMonitor on the cluster')
    // The operator's own CRD, so that the API server checks the ServiceMonitor against its schema.
    await run('kubectl', ['create', '--filename', await serviceMonitorCrd()], { env: kubeEnv })
    t.teardown(() => run('kubectl', ['delete', 'crd', 'servicemonitors.monitoring.coreos.com'], { env: kubeEnv }).catch(() => {}))
    await run('kubectl', ['wait', '--for', 'condition=Established', 'crd/servicemonitors.monitoring.coreos.com'], { env: kubeEnv })
    await task(['k8s:deploy'], { VERSION: v2, K8S_SERVICE_MONITOR: 'true' })
    const monitor = JSON.parse(await kubectl('get', 'servicemonitor', 'hbaas-server', '--output', 'json'))
    const metricsService = JSON.parse(await kubectl('get', 'service', '--selector', 'app.kubernetes.io/component=metrics', '--output', 'json')).items
    t.equal(metricsService.length, 1, 'one metrics Service')
    t.match(metricsService[0].metadata.labels, monitor.spec.selector.matchLabels, 'which the ServiceMonitor selects')
    t.same(monitor.spec.endpoints, [{ port: 'metrics', path: '/metrics' }])
    t.equal(metricsService[0].spec.type, 'ClusterIP', 'inside the cluster only')
    t.same(metricsService[0].spec.ports.map((port: { name: string, port: number }) => [port.name, port.port]), [['metrics', 9464]])
    // The pods behind the metrics Service, ready ones only: those of the version before may still be stopping.
    const slice = async () => JSON.parse(await kubectl('get', 'endpointslices', '--selector', `kubernetes.io/service-name=${metricsService[0].metadata.name}`, '--output', 'json')).items[0]
    const readyEndpoints = async () => (await slice())?.endpoints?.filter((endpoint: { conditions: { ready: boolean } }) => endpoint.conditions.ready) ?? []
    t.equal(await waitFor(async () => (await readyEndpoints()).length === 3, 30_000, 500), true, 'its endpoints are the three pods')
    t.same((await slice()).ports, [{ name: 'metrics', port: 9464, protocol: 'TCP' }], 'on their metrics port')
    const scraped = await fetch(`${await portForward(t, `service/${metricsService[0].metadata.name}`, 'metrics')}/metrics`)
    t.match(await scraped.text(), /^hbaas_people \d+$/m, 'and they answer')
    await task(['k8s:undeploy'])
    t.same(JSON.parse(await kubectl('get', 'servicemonitor,service', '--selector', 'app.kubernetes.io/name=hbaas-server', '--output', 'json')).items, [], 'task undeploy removes them')
    await task(['k8s:deploy'], { VERSION: v2 })
  })

  t.test('task undeploy removes all that deploy made, people ConfigMaps too, and returns once its pods are gone', async t => {
    await task(['k8s:deploy'], { VERSION: v2, K8S_PEOPLE_FILE: join(fixtures, 'team.csv') })
    t.equal((await configMaps()).length, 1, 'a people ConfigMap')
    await task(['k8s:undeploy'])
    t.same(JSON.parse(await kubectl('get', 'deployment,service,poddisruptionbudget,pod', '--selector', 'app.kubernetes.io/name=hbaas-server', '--output', 'json')).items, [])
    t.same(await configMaps(), [], 'no ConfigMap left')
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
  metadata: { name: string, deletionTimestamp?: string, annotations?: Record<string, string> }
  spec: { containers: Array<{ ports: Array<{ name: string, containerPort: number }> }> }
  status: { conditions?: Array<{ type: string, status: string }> }
}
