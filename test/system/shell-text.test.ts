import { readdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import t from 'tap'
import { containerPorts, removeTestImages } from '../helpers/docker'
import { docker } from '../../scripts/lib/docker.mjs'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { KUBECONFIG, MULTI_PLATFORM_BUILDER, OPEN_REGISTRY, TEST_RUN, hasService, hasTool } from '../helpers/environment'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter, listTags } from '../helpers/registry'
import { makeDockerConfig, makeUserClone, taskRunner } from '../helpers/task'

// A git tag is a name that anyone with push access chooses, and git accepts shell text in it
// (`x$(touch${IFS}pwned)`) and slashes (`workshop/step-3`). The version made of it is an image tag,
// and nothing of it, nor of a setting or a file name, is ever run by a shell: the tasks that use
// the version, from the build to the cluster, run in a clone with such tags, and no command of
// theirs ran.
const kubeEnv = { ...process.env, KUBECONFIG }
// The shell's word separator: shell text that git takes in a tag name, which has no spaces.
const IFS = '${IFS}' // eslint-disable-line no-template-curly-in-string
if (hasTool(t, 'task', ['--version'], 'the tests run go-task') &&
    hasTool(t, 'docker', ['buildx', 'inspect', MULTI_PLATFORM_BUILDER], 'image:sbom reads the SBOM that a multi-platform builder attaches (TEST_BUILDX_BUILDER)') &&
    hasTool(t, 'kubectl', ['--kubeconfig', KUBECONFIG, 'get', '--raw', '/readyz'], 'k8s:deploy needs a Kubernetes cluster (KUBECONFIG)') &&
    hasService(t, `http://${OPEN_REGISTRY}/v2/`, 'the image is pushed to an open registry (TEST_REGISTRY)')) {
  removeTestImages(t)
  const fixtures = t.testdir({ repo: {} })
  const repo = join(fixtures, 'repo')
  const nodePort = 30000 + Math.floor(Math.random() * 2700)
  const { task, taskResult } = taskRunner(repo, {
    KUBECONFIG,
    CONTAINER_REGISTRY: OPEN_REGISTRY,
    CONTAINER_NAMESPACE: TEST_RUN,
    BUILDX_BUILDER: MULTI_PLATFORM_BUILDER,
    PLATFORMS: 'linux/amd64',
    DOCKER_CONFIG: join(fixtures, 'docker-config'),
    K8S_NAMESPACE: TEST_RUN,
    NODE_PORT: String(nodePort),
    // Settings a user gives: shell text in them is text too.
    COMMIT: `abc1234$(touch${IFS}pwned-by-commit)`,
    SOURCE_URL: `https://example.com/\`touch${IFS}pwned-by-url\``
  })
  deleteRepositoriesAfter(t, { host: OPEN_REGISTRY }, () => [`${TEST_RUN}/hbaas-server`])
  t.teardown(() => run('kubectl', ['delete', 'namespace', TEST_RUN, '--wait=true', '--timeout=90s'], { env: kubeEnv }).catch(() => {}))
  /** Files that a command pasted from the shell text would have made, anywhere in the test's folder. */
  const pwned = async () => (await readdir(fixtures, { recursive: true })).filter(file => /^pwned(-by-\w+)?$/.test(basename(file)))
  let git: Awaited<ReturnType<typeof makeUserClone>>['git']

  t.before(async () => {
    ({ git } = await makeUserClone(repo))
    await makeDockerConfig(join(fixtures, 'docker-config'))
  })

  t.test('a tag with a slash, as a workshop\'s step, becomes a valid image tag', async t => {
    await git('tag', 'workshop/step-3')
    t.match((await task(['image:build'])).stderr, '--tag ' + `${TEST_RUN}:workshop-step-3`)
    t.ok((await docker('image', 'inspect', `${TEST_RUN}:workshop-step-3`)).stdout, `${TEST_RUN}:workshop-step-3 is in docker images`)
  })

  t.test('a tag of shell text: built, checked, pushed, its SBOM read and deployed, and nothing of it ran', async t => {
    await git('commit', '--quiet', '--allow-empty', '--message', 'Step 4')
    await git('tag', `x$(touch${IFS}pwned)`)
    const version = 'x--touch--IFS-pwned-'
    await task(['image:build'])
    t.ok((await docker('image', 'inspect', `${TEST_RUN}:${version}`)).stdout, `built as ${TEST_RUN}:${version}`)
    const [{ Config: { Labels: labels } }] = JSON.parse((await docker('image', 'inspect', `${TEST_RUN}:${version}`)).stdout)
    t.match(labels, { 'org.opencontainers.image.revision': `abc1234$(touch${IFS}pwned-by-commit)`, 'org.opencontainers.image.source': `https://example.com/\`touch${IFS}pwned-by-url\`` },
      'settings arrive as they were written')
    const { port, envFlags } = await containerPorts()
    const checked = await task(['image:check'], { DOCKER_RUN_FLAGS: ['--network host', ...envFlags].join(' ') })
    t.match(checked.stdout, `127.0.0.1:${port}/version answers {"version":"${version}"`, 'image:check')
    await task(['image:upload'])
    t.ok((await listTags({ host: OPEN_REGISTRY }, `${TEST_RUN}/hbaas-server`)).includes(version), 'pushed under the version')
    t.match((await task(['image:sbom'])).stdout, /^\S+ fastify \d+\.\d+\.\d+$/m, 'image:sbom')
    // A people file whose name is shell text too: a name is just a name.
    const peopleFile = join(fixtures, 'team $(touch pwned-by-file).csv')
    await writeFile(peopleFile, 'name,birth_date\nAda Lovelace,1815-12-10\n')
    t.match((await task(['k8s:deploy'], { K8S_PEOPLE_FILE: peopleFile })).stdout, `${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:${version} is rolled out in namespace ${TEST_RUN}`)
    const answered = async () => (await (await fetch(`http://127.0.0.1:${nodePort}/version`)).json() as { version: string }).version
    t.equal(await waitFor(async () => await answered() === version, 20_000, 500), true, 'the cluster serves it')
    const environment = await taskResult(['k8s:deploy'], { K8S_ENVIRONMENT: `staging$(touch${IFS}pwned-by-environment)` })
    t.not(environment.code, 0, 'an environment of shell text is no overlay')
    t.match(environment.stderr, /K8S_ENVIRONMENT must name an overlay in deploy\/kubernetes\/overlays\//)
    t.same(await pwned(), [], 'no command of the tag, the settings, the file name or the environment ran')
  })
}
