import { chmod, copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/app'
import { docker, removeTestImages } from '../helpers/docker'
import { DOCKER_BUILD_FLAGS, LOGIN_REGISTRY, OPEN_REGISTRY, TEST_RUN, TEST_RUN_LABEL, hasService, hasTool } from '../helpers/environment'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter, inspectImage, listTags } from '../helpers/registry'

if (hasTool(t, 'task', ['--version'], 'the Taskfile tests run go-task') &&
    hasTool(t, 'docker', ['info'], 'the Taskfile tests build and push images') &&
    hasTool(t, 'skopeo', ['--version'], 'the Taskfile tests read what was pushed with skopeo') &&
    hasService(t, `http://${OPEN_REGISTRY}/v2/`, 'the Taskfile tests push to an open registry (TEST_REGISTRY)') &&
    hasService(t, `https://${LOGIN_REGISTRY.host}/v2/`, 'the Taskfile tests push to a registry that needs a login (TEST_LOGIN_REGISTRY)')) {
  removeTestImages(t)
  // A git repository made from the working tree: v1.0.0, one more commit, on a git-flow branch.
  const fixtures = t.testdir({ repo: {}, 'docker-config': {}, 'fake-bin': { aws: '#!/bin/sh\n' } })
  const repo = join(fixtures, 'repo')
  const dockerConfig = join(fixtures, 'docker-config') // no saved logins, so that 5443 refuses us
  const withFakeAws = `${join(fixtures, 'fake-bin')}:${process.env.PATH}` // ECR cannot be reached from here: --dry only
  // Everything this test makes is named after the test run: local images, and repositories in the registries.
  const namespace = TEST_RUN
  const open = { host: OPEN_REGISTRY }
  const login = { host: LOGIN_REGISTRY.host, user: LOGIN_REGISTRY.user, password: LOGIN_REGISTRY.password }
  deleteRepositoriesAfter(t, open, () => [`${namespace}/hbaas-server`, `${namespace}-detached/hbaas-server`])
  deleteRepositoriesAfter(t, login, () => [`${namespace}/hbaas-server`])
  const git = (...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo })
  const env = (extra: Record<string, string> = {}) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
      !/^(VERSION|BUILD_TIME|COMMIT|GIT_BRANCH|AWS_.*|CONTAINER_.*|DOCKER_.*)$/.test(name)))
    return {
      ...clean,
      DOCKER_BUILD_FLAGS: [...DOCKER_BUILD_FLAGS, '--label', TEST_RUN_LABEL].join(' '),
      DOCKER_CONFIG: dockerConfig,
      IMAGE_NAME: TEST_RUN,
      CONTAINER_NAMESPACE: namespace,
      ...extra
    }
  }
  const task = (args: string[], extra: Record<string, string> = {}) =>
    run('task', args, { cwd: repo, env: env(extra), maxBuffer: 64 * 1024 * 1024 })
  const taskFailure = (args: string[], extra: Record<string, string> = {}) =>
    task(args, extra).then(() => ({ code: 0, stderr: '' }), (error: { code: number, stderr: string }) => error)
  let version = ''

  t.before(async () => {
    const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT })
    for (const file of stdout.split('\0').filter(Boolean)) {
      await mkdir(dirname(join(repo, file)), { recursive: true })
      await copyFile(join(ROOT, file), join(repo, file))
    }
    await git('init', '--quiet', '--initial-branch', 'main')
    await git('add', '--all')
    await git('commit', '--quiet', '--message', 'HBaaS')
    await git('tag', 'v1.0.0')
    await git('commit', '--quiet', '--allow-empty', '--message', 'One more')
    await git('checkout', '--quiet', '-b', 'feature/containerise-api')
    version = (await git('describe', '--tags')).stdout.trim()
    await chmod(join(fixtures, 'fake-bin/aws'), 0o755)
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

  t.test('task build-image makes the latest, version and branch tags, under IMAGE_NAME', async t => {
    await task(['build-image'])
    const ids = await Promise.all(['latest', version, 'feature-containerise-api'].map(async tag =>
      (await docker('image', 'inspect', '--format', '{{.Id}}', `${TEST_RUN}:${tag}`)).stdout.trim()))
    t.equal(new Set(ids).size, 1, 'one image, three tags')
    t.match((await task(['--dry', 'build-image'], { IMAGE_NAME: '' })).stderr, '--tag hbaas-server:latest', 'hbaas-server by default')
  })

  t.test('task upload-image pushes the three tags, one digest, to the registry', async t => {
    await task(['upload-image'], { CONTAINER_REGISTRY: OPEN_REGISTRY })
    t.same((await listTags(open, `${namespace}/hbaas-server`)).sort(), ['feature-containerise-api', 'latest', version].sort())
    const images = await Promise.all(['latest', version, 'feature-containerise-api'].map(tag => inspectImage(open, `${namespace}/hbaas-server:${tag}`)))
    t.equal(new Set(images.map(image => image.Digest)).size, 1, 'one digest')
    t.equal(images[0].Labels['org.opencontainers.image.version'], version)
  })

  t.test('a registry that needs a login refuses the push with a hint, then takes it after docker login', async t => {
    const refused = await taskFailure(['upload-image'], { CONTAINER_REGISTRY: login.host })
    t.not(refused.code, 0)
    t.match(refused.stderr, `Run 'task ecr-login' for ECR, or 'docker login ${login.host}' for another registry.`)
    await run('sh', ['-c', `printf %s "$PASSWORD" | docker login --username "$USER_NAME" --password-stdin ${login.host}`],
      { env: { ...process.env, DOCKER_CONFIG: dockerConfig, USER_NAME: login.user, PASSWORD: login.password } })
    await task(['upload-image'], { CONTAINER_REGISTRY: login.host })
    t.same((await listTags(login, `${namespace}/hbaas-server`)).sort(), ['feature-containerise-api', 'latest', version].sort(), 'pushed after login')
  })

  t.test('without a registry, upload-image names what is missing', async t => {
    t.match((await taskFailure(['upload-image'])).stderr, 'AWS_ACCOUNT_ID is not set')
    t.match((await taskFailure(['upload-image'], { AWS_ACCOUNT_ID: '123456789012' })).stderr, 'AWS_REGION is not set')
    t.match((await task(['--dry', 'upload-image', `CONTAINER_REGISTRY=${OPEN_REGISTRY}`])).stderr,
      `docker push ${OPEN_REGISTRY}/${namespace}/hbaas-server:latest`, 'a registry given on the command line needs no AWS settings')
  })

  t.test('task --dry upload-image shows the ECR commands', async t => {
    const { stdout, stderr } = await task(['--dry', 'upload-image'], { AWS_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-west-2', CONTAINER_NAMESPACE: '' })
    for (const tag of ['latest', version, 'feature-containerise-api']) {
      t.match(stdout + stderr, `docker push 123456789012.dkr.ecr.eu-west-2.amazonaws.com/hbaas-server:${tag}`)
    }
    const ecr = { AWS_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-west-2', CONTAINER_NAMESPACE: 'go-with-the-flow', PATH: withFakeAws }
    t.match((await task(['--dry', 'ecr-login'], ecr)).stderr,
      'aws ecr get-login-password --region eu-west-2 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-2.amazonaws.com')
    t.match((await task(['--dry', 'create-repository'], ecr)).stderr,
      'aws ecr create-repository --region eu-west-2 --repository-name go-with-the-flow/hbaas-server --image-scanning-configuration scanOnPush=true')
  })

  t.test('branch names become valid image tags', async t => {
    const tagFor = async (branch: string) => {
      const { stderr } = await task(['--dry', 'build-image'], { GIT_BRANCH: branch })
      return stderr.match(/--tag \S+:(\S+) \.$/m)?.[1]
    }
    t.equal(await tagFor('feature/containerise-api'), 'feature-containerise-api')
    t.equal(await tagFor('.hidden/-x'), 'hidden--x')
    t.match(await tagFor('release/1.0 ünïcode'), /^release-1\.0-[\w.-]*n[\w.-]*code$/)
    t.equal(await tagFor('x'.repeat(200)), 'x'.repeat(128))
  })

  t.test('on a detached HEAD no branch tag is pushed', async t => {
    await git('checkout', '--quiet', '--detach')
    const detached = `${namespace}-detached`
    await task(['upload-image'], { CONTAINER_REGISTRY: OPEN_REGISTRY, CONTAINER_NAMESPACE: detached })
    t.same((await listTags(open, `${detached}/hbaas-server`)).sort(), ['latest', version].sort())
  })
}
