import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { removeTestImages } from '../helpers/docker'
import { dockerLogin } from '../../scripts/lib/docker.mjs'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { ECR, ECR_EXPORTS, ECR_REGISTRY, KUBECONFIG, LOGIN_REGISTRY, MULTI_PLATFORM_BUILDER, TEST_RUN, ecrAws, hasService, hasTool } from '../helpers/environment'
import { kubeEnv, pipelineFixture } from '../helpers/pipeline'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter, listTags, rawManifest, type Registry } from '../helpers/registry'

// What the GitLab pipeline (.gitlab-ci.yml) publishes and deploys, run by gitlab-ci-local on the
// job image against the ECR stand-in and the lab's cluster: the image built once, pushed by its
// digest and checked, then that digest tagged, signed and deployed to staging; a tag moved in
// between changes nothing; a digest without a signature is never applied; a version tag's tags;
// no AWS, nothing pushed.
if (hasTool(t, 'gitlab-ci-local', ['--version'], 'the pipeline tests run .gitlab-ci.yml with gitlab-ci-local (`../shared/container-lab/gitlab-ci install`)') &&
    hasTool(t, 'docker', ['buildx', 'inspect', MULTI_PLATFORM_BUILDER], 'image:push builds both platforms with a multi-platform builder (TEST_BUILDX_BUILDER)') &&
    hasTool(t, 'cosign', ['version'], 'the test makes the key pair the jobs sign with') &&
    hasTool(t, 'skopeo', ['--version'], 'the tests read what was pushed with skopeo') &&
    hasTool(t, 'kubectl', ['--kubeconfig', KUBECONFIG, 'get', '--raw', '/readyz'], 'the staging deploy needs a Kubernetes cluster (KUBECONFIG)') &&
    hasService(t, `https://${LOGIN_REGISTRY.host}/v2/`, 'the job image lives in a registry that needs a login, as GitLab\'s does (TEST_LOGIN_REGISTRY)') &&
    hasService(t, ECR.endpoint, 'the publishing jobs push to an AWS ECR (TEST_AWS_ENDPOINT_URL)')) {
  removeTestImages(t)
  const { fixtures, repo, dockerConfig, nodePort, settings, state, gitlabCiLocal } = pipelineFixture(t)
  const repository = `${TEST_RUN}/hbaas-server`
  const ecr: Registry = { host: ECR_REGISTRY, user: 'AWS', password: '' }
  deleteRepositoriesAfter(t, ecr, () => [repository, `${TEST_RUN}-no-aws/hbaas-server`])
  t.teardown(async () => {
    await ecrAws('ecr', 'delete-repository', '--force', '--repository-name', repository).catch(() => {})
    await run('kubectl', ['delete', 'namespace', TEST_RUN, '--wait=true', '--timeout=90s'], { env: kubeEnv }).catch(() => {})
  })
  t.before(async () => {
    ecr.password = await ecrAws('ecr', 'get-login-password')
    // The test reads signatures from ECR with cosign, which logs in through Docker's config.
    await dockerLogin({ host: ecr.host, user: 'AWS', password: ecr.password }, dockerConfig)
  })
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--namespace', TEST_RUN, ...args], { env: kubeEnv })).stdout
  /** The image the staging Deployment runs. */
  const stagingImage = async () => JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json')).spec.template.spec.containers[0].image
  /** Whether a signature made with the test's key verifies for an image. */
  const signed = (image: string) => run('cosign', ['verify', '--key', join(fixtures, 'keys/cosign.pub'), '--insecure-ignore-tlog=true',
    '--trusted-root', join(repo, 'scripts/publish/trusted-root-key-only.json'), image],
  { env: { ...process.env, ...ECR_EXPORTS, DOCKER_CONFIG: dockerConfig } }).then(() => true, () => false)
  let pushed = ''

  t.test('dev: the image built once, pushed by its digest and checked; that digest tagged, signed, and run on staging, in minutes', async t => {
    await state.git('checkout', '--quiet', '-B', 'dev')
    // A project's first pipeline fills the node_modules and npm caches (lint writes them; a lint job
    // alone, here) that every later one finds.
    t.ok((await gitlabCiLocal(['lint'], settings)).passed, 'lint passed')
    // The whole pipeline, as a push to dev starts it: the checks and image:push side by side, then publish, then staging.
    const { passed, output, seconds } = await gitlabCiLocal([], settings)
    t.comment(`dev, from the push to staging rolled out: ${seconds.toFixed(0)} s, with the caches`)
    t.ok(passed, 'every job passed')
    for (const job of ['lint', 'test:unit', 'test:bundle', 'image:push', 'publish', 'deploy:staging']) t.match(output, new RegExp(`PASS +${job.replace(':', '\\:')}\\b`), job)
    t.notMatch(output, /AWS_ACCESS_KEY_ID=|aws_secret_access_key/i, 'no key was set or shown')
    pushed = output.match(new RegExp(`Pushed (${ECR_REGISTRY.replaceAll('.', '\\.')}/${repository}@sha256:[0-9a-f]{64})`))?.[1] ?? ''
    t.ok(pushed, `image:push pushed one digest: ${pushed}`)
    t.match(output, `/version answers {"version":"${state.version}"`, 'and asked that digest for its version')
    t.equal((output.match(/docker buildx build/g) ?? []).length, 1, 'built once')
    t.same((await listTags(ecr, repository)).filter(tag => !tag.startsWith('sha256-')).sort(), [state.version, 'dev'].sort())
    const digest = pushed.split('@')[1]
    for (const tag of [state.version, 'dev']) {
      t.equal(await rawDigest(ecr, `${repository}:${tag}`), digest, `${tag} is that digest`)
      const index = await rawManifest(ecr, `${repository}:${tag}`)
      const platforms = index.manifests.map(({ platform }: { platform: { os: string, architecture: string } }) => `${platform.os}/${platform.architecture}`)
      t.same(platforms.filter((platform: string) => platform !== 'unknown/unknown').sort(), ['linux/amd64', 'linux/arm64'], `${tag}: both platforms`)
    }
    t.ok(await signed(pushed), 'the digest is signed')
    t.equal(await stagingImage(), pushed, 'staging runs that digest, not a tag')
    const answered = await waitFor(async () => (await (await fetch(`http://127.0.0.1:${nodePort}/version`)).json() as { version: string }).version, 30_000, 500)
    t.equal(answered, state.version, 'and it answers')
  })

  t.test('another image pushed to dev between publish and deploy changes nothing on staging', async t => {
    // Another image under the dev tag: the base image, say, pushed from the local Docker.
    await run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', `AWS:${ecr.password}`,
      'docker-daemon:gcr.io/distroless/nodejs24-debian13:nonroot', `docker://${ECR_REGISTRY}/${repository}:dev`])
    t.not((await rawDigest(ecr, `${repository}:dev`)), pushed.split('@')[1], 'dev now names another image')
    const { passed } = await gitlabCiLocal(['deploy:staging'], settings)
    t.ok(passed, 'deploy:staging, again, with the digest publish handed on (its dotenv report)')
    t.equal(await stagingImage(), pushed, 'staging still runs the digest that was checked and signed')
  })

  t.test('a deploy asked to apply a digest without a valid signature stops, naming why, and applies nothing', async t => {
    const before = JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json')).metadata.generation
    const unsigned = `${ECR_REGISTRY}/${repository}@${await rawDigest(ecr, `${repository}:dev`)}`
    // As if publish had handed on that digest: its own report is gone, IMAGE names the other one.
    await rm(join(repo, '.gitlab-ci-local/artifacts/publish'), { recursive: true, force: true })
    const { passed, output } = await gitlabCiLocal(['deploy:staging'], { ...settings, IMAGE: unsigned })
    t.notOk(passed, 'deploy:staging failed')
    t.match(output, /no signatures found|no matching signatures/, 'cosign says why')
    t.notMatch(output, /\$ task k8s:deploy/, 'before the deploy')
    t.equal(JSON.parse(await kubectl('get', 'deployment', 'hbaas-server', '--output', 'json')).metadata.generation, before, 'nothing applied')
    t.equal(await stagingImage(), pushed)
  })

  t.test('a tag vX.Y.Z: its three tags on the one digest it pushed and checked', async t => {
    await state.git('checkout', '--quiet', 'v1.1.0').catch(async () => {
      await state.git('commit', '--quiet', '--allow-empty', '--message', 'Release 1.1.0')
      await state.git('tag', 'v1.1.0')
    })
    const { passed, output } = await gitlabCiLocal(['image:push', 'publish'], { ...settings, CI_COMMIT_TAG: 'v1.1.0' })
    t.ok(passed, 'image:push and publish passed')
    const digest = output.match(/Pushed \S+@(sha256:[0-9a-f]{64})/)?.[1]
    for (const tag of ['v1.1.0', '1.1.0', '1.1']) t.equal(await rawDigest(ecr, `${repository}:${tag}`), digest, tag)
    t.notOk((await listTags(ecr, repository)).includes('latest'), 'latest only ever comes from main')
  })

  t.test('without AWS_ROLE_ARN or keys, image:push stops at once with one line, having pushed nothing', async t => {
    await state.git('checkout', '--quiet', 'dev')
    const withoutAws = Object.fromEntries(Object.entries(settings).filter(([name]) => name !== 'AWS_ROLE_ARN'))
    const { passed, output } = await gitlabCiLocal(['image:push'], { ...withoutAws, CONTAINER_NAMESPACE: `${TEST_RUN}-no-aws` })
    t.notOk(passed, 'image:push failed')
    t.match(output, 'No AWS credentials: set AWS_ROLE_ARN (a role that trusts this project\'s OIDC tokens), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
    t.notMatch(output, /\$ task /, 'before any task ran')
    t.same(await listTags(ecr, `${TEST_RUN}-no-aws/hbaas-server`), [], 'nothing pushed')
  })
}

/** The digest a tag names in the registry now: of its manifest, or its index, as it is stored. */
async function rawDigest (registry: Registry, reference: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', `${registry.user}:${registry.password}`, `docker://${registry.host}/${reference}`],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 })
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`
}
