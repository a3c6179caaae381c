import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { containerPorts, removeTestImages } from '../helpers/docker'
import { docker, dockerLogin } from '../../scripts/lib/docker.mjs'
import { LOGIN_REGISTRY, MULTI_PLATFORM_BUILDER, OPEN_REGISTRY, TEST_RUN, hasService, hasTool } from '../helpers/environment'
import { freePort } from '../../scripts/lib/processes.mjs'
import { ROOT } from '../helpers/root'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter, inspectImage, listTags, rawManifest } from '../helpers/registry'
import { makeDockerConfig, makeUserClone, taskRunner } from '../helpers/task'

// The Taskfile as a user runs it, in a clone of their own, against real registries. What is
// particular to AWS ECR (and signing) is in publish.test.ts.
if (hasTool(t, 'task', ['--version'], 'the Taskfile tests run go-task') &&
    hasTool(t, 'docker', ['info'], 'the Taskfile tests build and push images') &&
    hasTool(t, 'docker', ['buildx', 'inspect', MULTI_PLATFORM_BUILDER], 'upload-image pushes both platforms with a multi-platform builder (TEST_BUILDX_BUILDER)') &&
    hasTool(t, 'skopeo', ['--version'], 'the Taskfile tests read what was pushed with skopeo') &&
    hasService(t, `http://${OPEN_REGISTRY}/v2/`, 'the Taskfile tests push to an open registry (TEST_REGISTRY)') &&
    hasService(t, `https://${LOGIN_REGISTRY.host}/v2/`, 'the Taskfile tests push to a registry that needs a login (TEST_LOGIN_REGISTRY)')) {
  removeTestImages(t)
  const fixtures = t.testdir({ repo: {} })
  const repo = join(fixtures, 'repo')
  // Everything this test makes is named after the test run: local images, and repositories in the registries.
  const namespace = TEST_RUN
  const open = { host: OPEN_REGISTRY }
  const login = { host: LOGIN_REGISTRY.host, user: LOGIN_REGISTRY.user, password: LOGIN_REGISTRY.password }
  deleteRepositoriesAfter(t, open, () => [`${namespace}/hbaas-server`, `${namespace}-detached/hbaas-server`])
  deleteRepositoriesAfter(t, login, () => [`${namespace}/hbaas-server`])
  const settings = { CONTAINER_NAMESPACE: namespace, DOCKER_CONFIG: join(fixtures, 'docker-config') } // no saved logins: 5443 refuses us
  const { task, taskResult } = taskRunner(repo, settings)
  const multiPlatform = { BUILDX_BUILDER: MULTI_PLATFORM_BUILDER }
  let clone: Awaited<ReturnType<typeof makeUserClone>>
  let version = ''

  t.before(async () => {
    clone = await makeUserClone(repo)
    version = clone.version
    await makeDockerConfig(settings.DOCKER_CONFIG)
  })

  t.test('task --list is a menu: every task says what it does, each group from a file of its own, the workshop\'s names working as aliases', async t => {
    const { tasks } = JSON.parse((await task(['--list', '--json'])).stdout) as { tasks: Array<{ name: string, desc: string, aliases: string[], location: { taskfile: string } }> }
    const all = JSON.parse((await task(['--list-all', '--json'])).stdout).tasks as Array<{ name: string }>
    t.equal(tasks.length, all.length, 'every task has a description')
    const groups = new Set(tasks.filter(({ name }) => name.includes(':')).map(({ name }) => name.split(':')[0]))
    t.same([...groups].sort(), ['ci', 'ecr', 'image', 'k8s', 'test'])
    for (const { name, location } of tasks.filter(({ name }) => name.includes(':'))) {
      t.match(location.taskfile, new RegExp(`/taskfiles/${name.split(':')[0]}\\.yml$`), `${name} is in taskfiles/${name.split(':')[0]}.yml`)
    }
    const menu = (await readFile(join(repo, 'Taskfile.yml'), 'utf8')).split('\n').length
    t.ok(menu <= 100, `Taskfile.yml, the menu, is ${menu} lines`)
    const aliases = Object.fromEntries(tasks.flatMap(({ name, aliases }) => aliases.map(alias => [alias, name])))
    t.match(aliases, {
      'build-image': 'image:build',
      'run-image': 'image:run',
      'create-repository': 'ecr:create-repository',
      'ecr-login': 'ecr:login',
      'upload-image': 'image:upload',
      'sign-image': 'image:sign',
      deploy: 'k8s:deploy',
      undeploy: 'k8s:undeploy'
    }, 'the workshop\'s and the README\'s names')
    const dryRun = async (name: string) => (await task(['--dry', name, `CONTAINER_REGISTRY=${OPEN_REGISTRY}`], multiPlatform)).stderr
    t.equal(await dryRun('upload-image'), await dryRun('image:upload'), 'an alias runs its task')
  })

  t.test('the version is git-flow\'s', async t => {
    t.match(version, /^v1\.0\.0-1-g[0-9a-f]{7,}$/)
  })

  t.test('task build builds once, then reports the bundle up to date', async t => {
    const first = await task(['build'])
    t.match(first.stdout, `"version":"${version}"`)
    const second = await task(['build'])
    t.match(second.stderr, 'Task "build" is up to date')
    t.notMatch(second.stdout, 'built ')
  })

  t.test('task build-image makes the latest, version and branch tags under IMAGE_NAME, stamped from the commit', async t => {
    await task(['image:build'])
    const ids = await Promise.all(['latest', version, 'feature-containerise-api'].map(async tag =>
      (await docker('image', 'inspect', '--format', '{{.Id}}', `${TEST_RUN}:${tag}`)).stdout.trim()))
    t.equal(new Set(ids).size, 1, 'one image, three tags')
    const [{ Config: { Labels: labels } }] = JSON.parse((await docker('image', 'inspect', `${TEST_RUN}:latest`)).stdout)
    const commitSeconds = Number((await clone.git('log', '-1', '--format=%ct')).stdout)
    const commitTime = new Date(commitSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
    t.match(labels, {
      'org.opencontainers.image.version': version,
      'org.opencontainers.image.revision': (await clone.git('rev-parse', '--short', 'HEAD')).stdout.trim(),
      'org.opencontainers.image.created': commitTime,
      'org.opencontainers.image.source': 'https://github.com/example/hbaas-server'
    }, 'created is the commit\'s time; source is the remote as an https URL')
    t.match((await task(['--dry', 'image:build'], { IMAGE_NAME: '' })).stderr, '--tag hbaas-server:latest', 'hbaas-server by default')
  })

  t.test('image:check starts the image and asks it for this version; an image that is not there fails with Docker\'s reason', async t => {
    const { port, envFlags } = await containerPorts()
    const runFlags = { DOCKER_RUN_FLAGS: ['--network host', ...envFlags].join(' ') }
    t.match((await task(['image:check'], runFlags)).stdout, `127.0.0.1:${port}/version answers {"version":"${version}"`)
    const missing = await taskResult(['image:check', `IMAGE=${OPEN_REGISTRY}/${namespace}/nothing:v0`], runFlags)
    t.not(missing.code, 0)
    t.match(missing.stderr, /manifest unknown|not found/, 'Docker says why')
    // The script itself, as the task runs it (the task runs its clone's copy).
    const checkImage = (args: string[]) => run(process.execPath, [join(ROOT, 'scripts/publish/check-image.mjs'), ...args, '--network', 'host', ...envFlags])
      .then(({ stdout }) => ({ code: 0, stdout, stderr: '' }), (error: { code: number, stdout: string, stderr: string }) => error)
    t.match(await checkImage([`${TEST_RUN}:${version}`, version]), { code: 0, stdout: /answers \{"version"/ })
    t.match(await checkImage([`${TEST_RUN}:${version}`, 'v0.0.0']), { code: 1, stderr: `the image answers version ${version}, not v0.0.0` }, 'another version is a failure')
    t.match(await checkImage([`${OPEN_REGISTRY}/${namespace}/nothing:v0`, version]), { code: 1 }, 'and so is no image')
  })

  t.test('the source label is there only when the remote is a URL', async t => {
    const labelFor = async (remote: string) => {
      await clone.git('remote', 'set-url', 'origin', remote)
      return (await task(['--dry', 'image:build'])).stderr.match(/--label org\.opencontainers\.image\.source=(\S+)/)?.[1]
    }
    t.teardown(() => clone.git('remote', 'set-url', 'origin', 'git@github.com:example/hbaas-server.git'))
    t.equal(await labelFor('https://user:token@gitlab.example.com/org/hbaas-server.git'), 'https://gitlab.example.com/org/hbaas-server', 'no credentials')
    t.equal(await labelFor('ssh://git@github.com/org/hbaas-server.git'), 'https://github.com/org/hbaas-server')
    t.equal(await labelFor('/srv/git/hbaas-server.git'), undefined, 'a local path: no label')
  })

  t.test('with a named builder, build-image still loads the image into Docker; image:remove removes every tag it made', async t => {
    const tagsOf = async (name: string) => (await docker('image', 'ls', '--format', '{{.Tag}}', '--filter', `reference=${name}`)).stdout.split('\n').filter(Boolean).sort()
    await task(['image:build'], { ...multiPlatform, IMAGE_NAME: `${TEST_RUN}-builder` })
    t.same(await tagsOf(`${TEST_RUN}-builder`), ['feature-containerise-api', 'latest', version].sort(), `${TEST_RUN}-builder is in docker images`)
    await task(['image:remove'], { IMAGE_NAME: `${TEST_RUN}-builder` })
    t.same(await tagsOf(`${TEST_RUN}-builder`), [], 'and image:remove takes all three')
  })

  t.test('a push with Docker\'s own builder leaves no tag of the registry\'s name in docker images', async t => {
    const name = `${namespace}-classic`
    deleteRepositoriesAfter(t, open, () => [`${name}/hbaas-server`])
    await task(['image:upload'], { BUILDX_BUILDER: 'default', PLATFORMS: 'linux/amd64', CONTAINER_REGISTRY: OPEN_REGISTRY, CONTAINER_NAMESPACE: name })
    t.same((await listTags(open, `${name}/hbaas-server`)).sort(), ['feature-containerise-api', 'latest', version].sort(), 'pushed')
    t.equal((await docker('image', 'ls', '--quiet', '--filter', `reference=${OPEN_REGISTRY}/${name}/hbaas-server`)).stdout, '', 'and not kept here')
  })

  t.test('task upload-image pushes the three tags, one index for linux/amd64 and linux/arm64', async t => {
    await task(['image:upload'], { ...multiPlatform, CONTAINER_REGISTRY: OPEN_REGISTRY })
    t.same((await listTags(open, `${namespace}/hbaas-server`)).sort(), ['feature-containerise-api', 'latest', version].sort())
    const images = await Promise.all(['latest', version, 'feature-containerise-api'].map(tag => inspectImage(open, `${namespace}/hbaas-server:${tag}`)))
    t.equal(new Set(images.map(image => image.Digest)).size, 1, 'one digest')
    t.equal(images[0].Labels['org.opencontainers.image.version'], version)
    const index = await rawManifest(open, `${namespace}/hbaas-server:latest`)
    const platforms = index.manifests.map(({ platform }: { platform: { os: string, architecture: string } }) => `${platform.os}/${platform.architecture}`)
    t.same(platforms.filter((platform: string) => platform !== 'unknown/unknown').sort(), ['linux/amd64', 'linux/arm64'])
  })

  t.test('PLATFORMS takes one platform too', async t => {
    t.match((await task(['--dry', 'image:upload', `CONTAINER_REGISTRY=${OPEN_REGISTRY}`, 'PLATFORMS=linux/arm64'])).stderr, '--platform linux/arm64 ')
  })

  t.test('a registry that needs a login refuses the push with a hint, then takes it after docker login', async t => {
    const refused = await taskResult(['image:upload'], { ...multiPlatform, CONTAINER_REGISTRY: login.host })
    t.not(refused.code, 0)
    t.equal(refused.stderr.split('\n').find(line => line.startsWith('Push to')), `Push to ${login.host} failed. Not logged in to ${login.host}: run \`docker login ${login.host}\`.`)
    await t.rejects(dockerLogin({ ...login, password: 'not-the-password' }, settings.DOCKER_CONFIG), { message: new RegExp(`^docker login ${login.host} failed: .*unauthorized`, 'i') },
      'a wrong password is refused, with the registry\'s reason')
    await dockerLogin(login, settings.DOCKER_CONFIG)
    await task(['image:upload'], { ...multiPlatform, CONTAINER_REGISTRY: login.host })
    t.same((await listTags(login, `${namespace}/hbaas-server`)).sort(), ['feature-containerise-api', 'latest', version].sort(), 'pushed after login')
  })

  t.test('upload-image stops before building when the builder, the registry name or the registry cannot work', async t => {
    const built = /task: \[upload-image\] .*docker buildx build/
    const classic = (await docker('info')).stdout.includes('containerd.snapshotter')
      ? undefined
      : await taskResult(['image:upload'], { BUILDX_BUILDER: 'default', CONTAINER_REGISTRY: OPEN_REGISTRY })
    if (classic) {
      t.not(classic.code, 0)
      t.match(classic.stderr.split('\n')[0], 'task: PLATFORMS is linux/amd64,linux/arm64, but Docker\'s own builder (driver docker) builds one platform at a time: use a multi-platform builder (BUILDX_BUILDER', 'Docker\'s own builder')
      t.notMatch(classic.stderr, built, 'nothing built')
      t.equal((await taskResult(['--dry', 'image:upload'], { BUILDX_BUILDER: 'default', CONTAINER_REGISTRY: OPEN_REGISTRY, PLATFORMS: 'linux/amd64' })).code, 0, 'one platform is fine')
    } else {
      t.comment('this Docker keeps images in containerd: its own builder does both platforms')
    }
    const closed = `127.0.0.1:${await freePort()}`
    const refused = await taskResult(['image:upload'], { ...multiPlatform, CONTAINER_REGISTRY: closed })
    t.match(refused.stderr.split('\n')[0], `The registry ${closed} does not answer (connect ECONNREFUSED ${closed}): check CONTAINER_REGISTRY, or start the registry.`)
    t.notMatch(refused.stderr, built, 'nothing built')
    const url = await taskResult(['image:upload'], { ...multiPlatform, CONTAINER_REGISTRY: `https://${OPEN_REGISTRY}/` })
    t.match(url.stderr.split('\n')[0], `CONTAINER_REGISTRY is "https://${OPEN_REGISTRY}/" but must be a registry's host`)
    t.notMatch(url.stderr, built, 'nothing built')
  })

  t.test('branch names become valid image tags', async t => {
    const tagFor = async (branch: string) => {
      const { stderr } = await task(['--dry', 'image:build'], { GIT_BRANCH: branch })
      return stderr.match(/--tag \S+:(\S+) \.$/m)?.[1]
    }
    t.equal(await tagFor('feature/containerise-api'), 'feature-containerise-api')
    t.equal(await tagFor('.hidden/-x'), 'hidden--x')
    t.match(await tagFor('release/1.0 ünïcode'), /^release-1\.0-[\w.-]*n[\w.-]*code$/)
    t.equal(await tagFor('x'.repeat(200)), 'x'.repeat(128))
  })

  t.test('on a detached HEAD no branch tag is pushed', async t => {
    await clone.git('checkout', '--quiet', '--detach')
    t.teardown(() => clone.git('checkout', '--quiet', 'feature/containerise-api'))
    const detached = `${namespace}-detached`
    await task(['image:upload'], { ...multiPlatform, CONTAINER_REGISTRY: OPEN_REGISTRY, CONTAINER_NAMESPACE: detached })
    t.same((await listTags(open, `${detached}/hbaas-server`)).sort(), ['latest', version].sort())
  })
}
