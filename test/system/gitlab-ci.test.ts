import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { containerPorts, removeTestImages } from '../helpers/docker'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { ECR_ENDPOINTS, ECR_EXPORTS, ECR_REGISTRY, ECR, GITLAB_CI_LOCAL_FLAGS, KUBECONFIG, MULTI_PLATFORM_BUILDER, OPEN_REGISTRY, TEST_RUN, TEST_RUN_LABEL, hasService, hasTool, ecrAws } from '../helpers/environment'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter, listTags, rawManifest, type Registry } from '../helpers/registry'
import { makeDockerConfig, makeUserClone } from '../helpers/task'

// The GitLab pipeline (.gitlab-ci.yml), run job by job by gitlab-ci-local, in a clone of the
// project as GitLab's runners would check it out: which jobs each ref gets, a feature branch's
// checks, a dev pipeline that publishes to the ECR stand-in with nothing but a role and a
// web-identity token, signs and deploys to the cluster, a tag's pipeline, and one without AWS.
const kubeEnv = { ...process.env, KUBECONFIG }
if (hasTool(t, 'gitlab-ci-local', ['--version'], 'the pipeline tests run .gitlab-ci.yml with gitlab-ci-local (`../shared/container-lab/gitlab-ci install`)') &&
    hasTool(t, 'docker', ['buildx', 'inspect', MULTI_PLATFORM_BUILDER], 'the publish job pushes both platforms with a multi-platform builder (TEST_BUILDX_BUILDER)') &&
    hasTool(t, 'cosign', ['version'], 'the test makes the key pair the publish job signs with') &&
    hasTool(t, 'skopeo', ['--version'], 'the tests read what was pushed with skopeo') &&
    hasTool(t, 'kubectl', ['--kubeconfig', KUBECONFIG, 'get', '--raw', '/readyz'], 'the staging deploy needs a Kubernetes cluster (KUBECONFIG)') &&
    hasService(t, ECR.endpoint, 'the publish job pushes to an AWS ECR (TEST_AWS_ENDPOINT_URL)')) {
  removeTestImages(t)
  const fixtures = t.testdir({ repo: {}, keys: {} })
  const repo = join(fixtures, 'repo')
  const repository = `${TEST_RUN}/hbaas-server`
  const ecr: Registry = { host: ECR_REGISTRY, user: 'AWS', password: '' }
  let git: (...args: string[]) => Promise<{ stdout: string }>
  let version = ''
  const nodePort = 30000 + Math.floor(Math.random() * 2700)
  // This test's own Docker config, which reads ECR with the credential helper.
  const dockerConfig = join(fixtures, 'docker-config')

  /** CI/CD variables as gitlab-ci-local's flags. */
  const variableFlags = (variables: Record<string, string>) => Object.entries(variables).flatMap(([name, value]) => ['--variable', `${name}=${value}`])
  /**
   * gitlab-ci-local in the clone: its output, whether every job passed, and how many seconds after
   * its start the output first held `awaited`, if given.
   */
  const gitlabCiLocal = async (args: string[], variables: Record<string, string> = {}, awaited?: string) => {
    const started = Date.now()
    const child = spawn('gitlab-ci-local', [...GITLAB_CI_LOCAL_FLAGS, ...variableFlags(variables), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let secondsTo: number | undefined
    const take = (chunk: Buffer) => {
      output += chunk
      if (awaited && secondsTo === undefined && output.includes(awaited)) secondsTo = (Date.now() - started) / 1000
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    const [code] = await once(child, 'close')
    const result = { passed: code === 0, output, secondsTo }
    // A failed job's own log, where gitlab-ci-local keeps it, says why.
    for (const [, job] of result.output.matchAll(/^ *FAIL +(\S+)/gm)) {
      t.comment(`${job} failed:\n${(await readFile(join(repo, '.gitlab-ci-local/output', `${job}.log`), 'utf8').catch(() => '')).slice(-6000)}`)
    }
    return result
  }
  /** The jobs gitlab-ci-local plans for the checked-out ref, with when they run (those that never run left out). */
  const jobsOf = async (variables: Record<string, string> = {}) => {
    const { stdout } = await run('gitlab-ci-local', ['--list-json', ...variableFlags(variables)], { cwd: repo })
    // The JSON, after the warning that a protected ref is given, not found.
    const jobs = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as Array<{ name: string, when: string }>
    return Object.fromEntries(jobs.filter(({ when }) => when !== 'never').map(({ name, when }) => [name, when]))
  }
  // A protected branch or tag, as dev, main and vX.Y.Z are on the project's GitLab.
  const PROTECTED = { CI_COMMIT_REF_PROTECTED: 'true' }
  // What the publishing jobs get from the project's CI/CD settings, and the lab's endpoints.
  const settings = {
    ...PROTECTED,
    ...ECR_ENDPOINTS,
    AWS_REGION: ECR.region,
    AWS_ROLE_ARN: `arn:aws:iam::${ECR.account}:role/hbaas-publish`,
    COSIGN_PASSWORD: 'test-password',
    CONTAINER_NAMESPACE: TEST_RUN,
    BUILDX_BUILDER: MULTI_PLATFORM_BUILDER,
    DOCKER_BUILD_FLAGS: `--network host --label ${TEST_RUN_LABEL}`,
    K8S_NAMESPACE: TEST_RUN,
    NODE_PORT: String(nodePort)
  }

  deleteRepositoriesAfter(t, ecr, () => [repository, `${TEST_RUN}-no-aws/hbaas-server`])
  t.teardown(async () => {
    await ecrAws('ecr', 'delete-repository', '--force', '--repository-name', repository).catch(() => {})
    await run('kubectl', ['delete', 'namespace', TEST_RUN, '--wait=true', '--timeout=90s'], { env: kubeEnv }).catch(() => {})
  })

  t.before(async () => {
    // The jobs run in containers, which see the clone alone: its own copy of every file.
    ({ git, version } = await makeUserClone(repo, { linkScripts: false }))
    // gitlab-ci-local takes the project's path and URL from a GitLab remote.
    await git('remote', 'set-url', 'origin', 'git@gitlab.com:workshop/hbaas-server.git')
    ecr.password = await ecrAws('ecr', 'get-login-password')
    await makeDockerConfig(dockerConfig, { credHelpers: { [ECR_REGISTRY]: 'ecr-login' } })
    await run('cosign', ['generate-key-pair', '--output-key-prefix', join(fixtures, 'keys/cosign')], { env: { ...process.env, COSIGN_PASSWORD: settings.COSIGN_PASSWORD } })
    // File variables, as the project's settings hold them: the job's web-identity token (any text:
    // the stand-in's STS trusts it), the cluster's kubeconfig and the signing keys.
    const file = (content: string) => ({ type: 'file', values: { '*': content } })
    const kubeconfig = (await run('kubectl', ['config', 'view', '--raw', '--flatten', '--minify'], { env: kubeEnv })).stdout
    await writeFile(join(repo, '.gitlab-ci-local-variables.yml'), JSON.stringify({
      AWS_WEB_IDENTITY_TOKEN_FILE: file('a-web-identity-token'),
      KUBECONFIG: file(kubeconfig),
      COSIGN_KEY: file(await readFile(join(fixtures, 'keys/cosign.key'), 'utf8')),
      COSIGN_PUBLIC_KEY: file(await readFile(join(fixtures, 'keys/cosign.pub'), 'utf8'))
    }))
  })

  t.test('each ref gets the jobs of the table, and the file passes GitLab\'s schema', async t => {
    const checks = { lint: 'on_success', test: 'on_success', 'image:check': 'on_success' }
    t.same(await jobsOf(PROTECTED), checks, 'a feature branch: the checks, no more')
    await git('checkout', '--quiet', '-b', 'release/1.1')
    t.same(await jobsOf(PROTECTED), checks, 'a release branch')
    await git('checkout', '--quiet', '-b', 'dev')
    t.same(await jobsOf(PROTECTED), { ...checks, publish: 'on_success', 'deploy:staging': 'on_success' }, 'dev: publish, then staging')
    t.same(await jobsOf(), checks, 'dev, were it not protected: nothing published')
    await git('checkout', '--quiet', 'main')
    t.same(await jobsOf(PROTECTED), { ...checks, publish: 'on_success' }, 'main: publish')
    await git('commit', '--quiet', '--allow-empty', '--message', 'Release 1.1.0')
    await git('tag', 'v1.1.0')
    t.same(await jobsOf({ ...PROTECTED, CI_COMMIT_TAG: 'v1.1.0' }), { ...checks, publish: 'on_success', 'deploy:production': 'manual' }, 'a tag: publish, and production by hand')
    await git('checkout', '--quiet', 'feature/containerise-api')
    const { stdout, stderr } = await run('gitlab-ci-local', ['--list'], { cwd: repo })
    t.match(stdout + stderr, 'json schema validated', 'gitlab-ci-local checked it against GitLab\'s schema')
  })

  t.test('a feature branch: lint, tests and the image check pass, with JUnit and coverage, nothing is pushed, and docker images is as it was', async t => {
    const { envFlags } = await containerPorts()
    const images = async () => (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).stdout.split('\n').sort()
    const before = await images()
    const { passed, output } = await gitlabCiLocal(['lint', 'test', 'image:check'], {
      DOCKER_BUILD_FLAGS: settings.DOCKER_BUILD_FLAGS,
      DOCKER_RUN_FLAGS: ['--network host', ...envFlags].join(' ')
    })
    t.ok(passed, 'every job passed')
    t.match(output, /--tag hbaas-server-pipeline-\d+:latest/, 'the image check builds under a name of the pipeline\'s own')
    t.same(await images(), before, 'and removes it: on a shared Docker, a user\'s own images are left as they were')
    t.notMatch(output, /# ERROR/, 'a passing job prints no ERROR')
    for (const job of ['lint', 'test', 'image:check']) t.match(output, new RegExp(`PASS +${job.replace(':', '\\:')}\\b`), job)
    t.match(output, `/version answers {"version":"${version}"`, 'the image answers with its version')
    const junit = await readFile(join(repo, 'junit.xml'), 'utf8')
    t.match(junit, /<testsuites[\s>]/, 'a JUnit report for GitLab')
    t.match(output, /Lines\s*:\s*\d+(\.\d+)?%/, 'the coverage figure the job\'s coverage: pattern reads')
    t.same(await listTags(ecr, repository), [], 'nothing in ECR')
    t.same(await listTags({ host: OPEN_REGISTRY }, repository), [], 'nor anywhere else')
  })

  t.test('dev: with only a role and a web-identity token, publish pushes the version and dev for both platforms, signed, and staging runs it', async t => {
    await git('checkout', '--quiet', 'dev')
    const { passed, output } = await gitlabCiLocal(['publish', 'deploy:staging'], settings)
    t.ok(passed, 'publish and deploy:staging passed')
    t.notMatch(output, /AWS_ACCESS_KEY_ID=|aws_secret_access_key/i, 'no key was set or shown')
    t.same((await listTags(ecr, repository)).filter(tag => !tag.startsWith('sha256-')).sort(), [version, 'dev'].sort())
    for (const tag of [version, 'dev']) {
      const index = await rawManifest(ecr, `${repository}:${tag}`)
      const platforms = index.manifests.map(({ platform }: { platform: { os: string, architecture: string } }) => `${platform.os}/${platform.architecture}`)
      t.same(platforms.filter((platform: string) => platform !== 'unknown/unknown').sort(), ['linux/amd64', 'linux/arm64'], `${tag}: both platforms`)
      const verified = await run('cosign', ['verify', '--key', join(fixtures, 'keys/cosign.pub'), '--insecure-ignore-tlog=true',
        '--trusted-root', join(repo, 'scripts/publish/trusted-root-key-only.json'), `${ECR_REGISTRY}/${repository}:${tag}`],
      { env: { ...process.env, ...ECR_EXPORTS, DOCKER_CONFIG: dockerConfig } }).then(() => true, () => false)
      t.ok(verified, `${tag}: its signature verifies`)
    }
    const answered = await waitFor(async () => (await (await fetch(`http://127.0.0.1:${nodePort}/version`)).json() as { version: string }).version, 30_000, 500)
    t.equal(answered, version, 'the staging deploy serves the published version')
  })

  t.test('a tag vX.Y.Z publishes vX.Y.Z, X.Y.Z and X.Y', async t => {
    await git('checkout', '--quiet', 'v1.1.0')
    const { passed } = await gitlabCiLocal(['publish'], { ...settings, CI_COMMIT_TAG: 'v1.1.0' })
    t.ok(passed, 'publish passed')
    const tags = await listTags(ecr, repository)
    for (const tag of ['v1.1.0', '1.1.0', '1.1']) t.ok(tags.includes(tag), tag)
    t.notOk(tags.includes('latest'), 'latest only ever comes from main')
  })

  t.test('a job that lacks a setting says so within 15 s of its start, before it installs anything', async t => {
    await git('checkout', '--quiet', 'dev')
    const cases: Array<[string, Record<string, string>, string]> = [
      ['publish', { ...settings, AWS_REGION: '' }, 'AWS_REGION is not set: set it (e.g. eu-west-2) in Settings'],
      ['publish', { ...settings, AWS_WEB_IDENTITY_TOKEN_FILE: '' }, 'AWS_ID_TOKEN is not set: the job has no OIDC token for AWS'],
      ['deploy:staging', { ...settings, KUBECONFIG: '' }, 'KUBECONFIG is not set: a file variable with the kubeconfig']
    ]
    for (const [job, variables, line] of cases) {
      const { passed, output, secondsTo } = await gitlabCiLocal([job], variables, line)
      t.notOk(passed, `${job} failed`)
      t.match(output, line, `${job}: ${line}`)
      t.ok(secondsTo !== undefined && secondsTo <= 15, `${job}: said ${secondsTo?.toFixed(1)} s after gitlab-ci-local started`)
      t.notMatch(output, /\$ install_tools/, `${job}: before installing anything`)
    }
  })

  t.test('without AWS_ROLE_ARN or keys, publish stops at its first AWS step with one line, having pushed nothing', async t => {
    await git('checkout', '--quiet', 'dev')
    const withoutAws = Object.fromEntries(Object.entries(settings).filter(([name]) => name !== 'AWS_ROLE_ARN'))
    const { passed, output } = await gitlabCiLocal(['publish'], { ...withoutAws, CONTAINER_NAMESPACE: `${TEST_RUN}-no-aws` })
    t.notOk(passed, 'publish failed')
    t.match(output, 'No AWS credentials: set AWS_ROLE_ARN (a role that trusts this project\'s OIDC tokens), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as masked, protected CI/CD variables')
    t.notMatch(output, /\$ task /, 'before any task ran')
    t.same(await listTags(ecr, `${TEST_RUN}-no-aws/hbaas-server`), [], 'nothing pushed')
  })
}
