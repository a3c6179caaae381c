import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { removeTestImages } from '../helpers/docker'
import { ECR, ECR_REGISTRY, KUBECONFIG, LOGIN_REGISTRY, MULTI_PLATFORM_BUILDER, OPEN_REGISTRY, TEST_RUN, ecrAws, hasService, hasTool } from '../helpers/environment'
import { GITLAB_REGISTRY, PROTECTED, pipelineFixture } from '../helpers/pipeline'
import { run } from '../helpers/processes'
import { listTags, type Registry } from '../helpers/registry'

// The GitLab pipeline's checks (.gitlab-ci.yml), run job by job by gitlab-ci-local on the job image,
// in a clone of the project as GitLab's runners check it out: which jobs each ref gets, a feature
// branch's checks and how long they take, the job image built by the pipeline, and jobs that lack
// a setting. What dev, main and tags publish and deploy is gitlab-ci-publish.test.ts's.
if (hasTool(t, 'gitlab-ci-local', ['--version'], 'the pipeline tests run .gitlab-ci.yml with gitlab-ci-local (`../shared/container-lab/gitlab-ci install`)') &&
    hasTool(t, 'docker', ['buildx', 'inspect', MULTI_PLATFORM_BUILDER], 'the jobs build with the lab\'s builder (TEST_BUILDX_BUILDER)') &&
    hasTool(t, 'kubectl', ['--kubeconfig', KUBECONFIG, 'get', '--raw', '/readyz'], 'the deploy jobs need a Kubernetes cluster (KUBECONFIG)') &&
    hasTool(t, 'cosign', ['version'], 'the test makes the key pair the jobs sign with') &&
    hasService(t, `https://${LOGIN_REGISTRY.host}/v2/`, 'the job image lives in a registry that needs a login, as GitLab\'s does (TEST_LOGIN_REGISTRY)') &&
    hasService(t, ECR.endpoint, 'the publishing jobs push to an AWS ECR (TEST_AWS_ENDPOINT_URL)')) {
  removeTestImages(t)
  const { repo, settings, state, gitlabCiLocal, jobsOf } = pipelineFixture(t)

  t.test('each ref gets the jobs of the table, and the file passes GitLab\'s schema', async t => {
    const { git } = state
    const checks = { lint: 'on_success', 'test:unit': 'on_success', 'test:bundle': 'on_success' }
    const publishing = { ...checks, 'image:push': 'on_success', publish: 'on_success' }
    const planned = async (variables: Record<string, string> = PROTECTED) => Object.fromEntries(Object.entries(await jobsOf(variables)).filter(([name]) => name !== 'ci-tools'))
    t.same(await planned(), { ...checks, 'image:check': 'on_success' }, 'a feature branch: the checks, no more')
    await git('checkout', '--quiet', '-b', 'release/1.1')
    t.same(await planned(), { ...checks, 'image:check': 'on_success' }, 'a release branch')
    await git('checkout', '--quiet', '-b', 'dev')
    t.same(await planned(), { ...publishing, 'deploy:staging': 'on_success' }, 'dev: the image pushed once and checked, then published, then staging')
    t.same(await planned({}), { ...checks, 'image:check': 'on_success' }, 'dev, were it not protected: nothing published')
    await git('checkout', '--quiet', 'main')
    t.same(await planned(), publishing, 'main: published')
    await git('commit', '--quiet', '--allow-empty', '--message', 'Release 1.1.0')
    await git('tag', 'v1.1.0')
    t.same(await planned({ ...PROTECTED, CI_COMMIT_TAG: 'v1.1.0' }), { ...publishing, 'deploy:production': 'manual' }, 'a tag: published, and production by hand')
    await git('checkout', '--quiet', 'feature/containerise-api')
    const { stdout, stderr } = await run('gitlab-ci-local', ['--list'], { cwd: repo })
    t.match(stdout + stderr, 'json schema validated', 'gitlab-ci-local checked it against GitLab\'s schema')
    const pipeline = await readFile(join(repo, '.gitlab-ci.yml'), 'utf8')
    t.notMatch(pipeline, /apt-get|pip install|install_tools/, 'no job installs a tool: they are in the job image')
    t.match(pipeline, /^ {2}TOOLS_IMAGE: \$CI_REGISTRY_IMAGE\/ci-tools@sha256:[0-9a-f]{64}$/m, 'which is pinned by digest, in the project\'s registry')
  })

  t.test('a feature branch: lint, the tests and the image check pass in minutes, with JUnit; nothing is pushed, docker images is as it was', async t => {
    const images = async () => (await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).stdout.split('\n').sort()
    const before = await images()
    const variables = { ...GITLAB_REGISTRY, DOCKER_BUILD_FLAGS: settings.DOCKER_BUILD_FLAGS, DOCKER_RUN_FLAGS: settings.DOCKER_RUN_FLAGS }
    // A project's first pipeline fills the caches that every later one finds: node_modules and
    // npm's (lint writes them) and the runner's Docker layers (image:check).
    const first = await gitlabCiLocal(['lint', 'image:check'], variables)
    t.ok(first.passed, 'lint and image:check passed')
    t.comment(`a project's first lint and image:check, every cache empty: ${first.seconds.toFixed(0)} s`)
    const { passed, output, seconds } = await gitlabCiLocal(['lint', 'test:unit', 'test:bundle', 'image:check'], variables)
    t.comment(`a merge request's checks: ${seconds.toFixed(0)} s, all four jobs side by side, with the caches`)
    t.ok(passed, 'every job passed')
    for (const job of ['lint', 'test:unit', 'test:bundle', 'image:check']) t.match(output, new RegExp(`PASS +${job.replace(':', '\\:')}\\b`), job)
    t.match(output, /--tag hbaas-server-pipeline-\d+:latest/, 'the image check builds under a name of the pipeline\'s own')
    t.same(await images(), before, 'and removes it: on a shared Docker, a user\'s own images are left as they were')
    t.notMatch(output, /# ERROR/, 'a passing job prints no ERROR')
    t.match(output, `/version answers {"version":"${state.version}"`, 'the image answers with its version')
    t.match(await readFile(join(repo, 'junit.xml'), 'utf8'), /<testsuites[\s>]/, 'a JUnit report for GitLab')
    t.same(await listTags({ host: ECR_REGISTRY, user: 'AWS', password: await ecrAws('ecr', 'get-login-password') }, `${TEST_RUN}/hbaas-server`), [], 'nothing in ECR')
    t.same(await listTags({ host: OPEN_REGISTRY }, `${TEST_RUN}/hbaas-server`), [], 'nor anywhere else')
  })

  t.test('when its Dockerfile changes, the pipeline builds the job image itself, into the project\'s registry, and says the digest to pin', async t => {
    const registry: Registry = { host: LOGIN_REGISTRY.host, user: LOGIN_REGISTRY.user, password: LOGIN_REGISTRY.password }
    t.notOk('ci-tools' in await jobsOf(PROTECTED), 'not while the Dockerfile is as on main')
    await state.git('checkout', '--quiet', '-b', 'feature/newer-tools')
    t.teardown(() => state.git('checkout', '--quiet', 'feature/containerise-api'))
    await appendFile(join(repo, '.gitlab/ci/tools/Dockerfile'), '# A change, as a newer tool would be.\n')
    await state.git('commit', '--quiet', '--all', '--message', 'Newer tools')
    t.equal((await jobsOf(PROTECTED))['ci-tools'], 'on_success', 'once it changes')
    const { passed, output } = await gitlabCiLocal(['ci-tools'], {
      ...GITLAB_REGISTRY,
      DOCKER_BUILD_FLAGS: `${settings.DOCKER_BUILD_FLAGS} --secret id=ca-bundle,src=/etc/container-lab-host-ca.crt`
    })
    t.ok(passed, 'ci-tools passed')
    t.match(output, new RegExp(`Pin it: TOOLS_IMAGE=${GITLAB_REGISTRY.CI_REGISTRY_IMAGE.replaceAll('.', '\\.')}/ci-tools@sha256:[0-9a-f]{64}`))
    t.ok((await listTags(registry, `${TEST_RUN}/hbaas-server/ci-tools`)).length > 0, 'pushed')
  })

  t.test('a job that lacks a setting says so within 15 s of its start, before anything else', async t => {
    await state.git('checkout', '--quiet', 'dev')
    t.teardown(() => state.git('checkout', '--quiet', 'feature/containerise-api'))
    const cases: Array<[string, Record<string, string>, string]> = [
      ['image:push', { ...settings, AWS_REGION: '' }, 'AWS_REGION is not set: set it (e.g. eu-west-2) in Settings'],
      ['image:push', { ...settings, AWS_WEB_IDENTITY_TOKEN_FILE: '' }, 'AWS_ID_TOKEN is not set: the job has no OIDC token for AWS'],
      ['deploy:staging', { ...settings, KUBECONFIG: '' }, 'KUBECONFIG is not set: a file variable with the kubeconfig'],
      ['image:push', { ...settings, AWS_ROLE_ARN: '' }, 'No AWS credentials: set AWS_ROLE_ARN']
    ]
    for (const [job, variables, line] of cases) {
      const { passed, output, secondsTo } = await gitlabCiLocal([job], variables, line)
      t.notOk(passed, `${job} failed`)
      t.match(output, line, `${job}: ${line}`)
      t.ok(secondsTo !== undefined && secondsTo <= 15, `${job}: said ${secondsTo?.toFixed(1)} s after gitlab-ci-local started`)
      t.notMatch(output, /\$ task /, `${job}: before any task ran`)
    }
  })
}
