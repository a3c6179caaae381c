import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Test } from 'tap'
import { dockerLogin } from '../../scripts/lib/docker.mjs'
import { containerPorts } from './docker'
import { ECR, ECR_ENDPOINTS, GITLAB_CI_LOCAL_FLAGS, KUBECONFIG, LOGIN_REGISTRY, MULTI_PLATFORM_BUILDER, TEST_RUN, TEST_RUN_LABEL } from './environment'
import { run } from './processes'
import { deleteRepositoriesAfter } from './registry'
import { makeDockerConfig, makeUserClone, taskRunner } from './task'

/** The lab's stand-in for the project's GitLab container registry, as GitLab's CI_REGISTRY_* name it for a job. */
export const GITLAB_REGISTRY = {
  CI_REGISTRY: LOGIN_REGISTRY.host,
  CI_REGISTRY_IMAGE: `${LOGIN_REGISTRY.host}/${TEST_RUN}/hbaas-server`,
  CI_REGISTRY_USER: LOGIN_REGISTRY.user,
  CI_REGISTRY_PASSWORD: LOGIN_REGISTRY.password
}

// A protected branch or tag, as dev, main and vX.Y.Z are on the project's GitLab.
export const PROTECTED = { CI_COMMIT_REF_PROTECTED: 'true' }

export const kubeEnv = { ...process.env, KUBECONFIG }

/** CI/CD variables as gitlab-ci-local's flags. */
const variableFlags = (variables: Record<string, string>) => Object.entries(variables).flatMap(([name, value]) => ['--variable', `${name}=${value}`])

/**
 * A clone of the project as GitLab's runners check it out, with what the project's settings give
 * its pipelines (a role and a web-identity token for AWS, a kubeconfig, a signing key pair), and
 * the job image, built and pushed as docs/ci.md says to build the first one. Runs gitlab-ci-local
 * in it; everything it makes is removed after the test.
 */
export function pipelineFixture (t: Test) {
  const fixtures = t.testdir({ repo: {}, keys: {} })
  const repo = join(fixtures, 'repo')
  // A Docker config of the test's own: logged in to the GitLab registry stand-in, where the job image is.
  const dockerConfig = join(fixtures, 'docker-config')
  const nodePort = 30000 + Math.floor(Math.random() * 2700)
  const state = { git: undefined as unknown as (...args: string[]) => Promise<{ stdout: string }>, version: '', toolsImage: '' }
  // What the publishing jobs get from the project's CI/CD settings, and the lab's endpoints.
  const settings = {
    ...PROTECTED,
    ...ECR_ENDPOINTS,
    ...GITLAB_REGISTRY,
    AWS_REGION: ECR.region,
    AWS_ROLE_ARN: `arn:aws:iam::${ECR.account}:role/hbaas-publish`,
    COSIGN_PASSWORD: 'test-password',
    CONTAINER_NAMESPACE: TEST_RUN,
    BUILDX_BUILDER: MULTI_PLATFORM_BUILDER,
    DOCKER_BUILD_FLAGS: `--network host --label ${TEST_RUN_LABEL}`,
    // The image checks' containers, on free ports of the host's network (set before the tests).
    DOCKER_RUN_FLAGS: '',
    K8S_NAMESPACE: TEST_RUN,
    NODE_PORT: String(nodePort)
  }
  deleteRepositoriesAfter(t, { host: LOGIN_REGISTRY.host, user: LOGIN_REGISTRY.user, password: LOGIN_REGISTRY.password }, () => [`${TEST_RUN}/hbaas-server/ci-tools`])

  t.before(async () => {
    settings.DOCKER_RUN_FLAGS = ['--network host', ...(await containerPorts()).envFlags].join(' ')
    // The jobs run in containers, which see the clone alone: its own copy of every file.
    const clone = await makeUserClone(repo, { linkScripts: false })
    Object.assign(state, clone)
    // gitlab-ci-local takes the project's path and URL from a GitLab remote.
    await clone.git('remote', 'set-url', 'origin', 'git@gitlab.com:workshop/hbaas-server.git')
    // As a clone has it, the remote's main: what `rules: changes` compares with.
    await clone.git('update-ref', 'refs/remotes/origin/main', 'main')
    await makeDockerConfig(dockerConfig)
    await dockerLogin(LOGIN_REGISTRY, dockerConfig)
    // The first job image, built by hand as docs/ci.md says. Behind this machine's TLS-inspecting
    // proxy, pip needs its CA bundle, given as a build secret.
    const { task } = taskRunner(repo, { ...GITLAB_REGISTRY, DOCKER_CONFIG: dockerConfig })
    await task(['ci:tools-image'], { DOCKER_BUILD_FLAGS: `--network host --secret id=ca-bundle,src=/etc/ssl/certs/ca-certificates.crt --label ${TEST_RUN_LABEL}` })
    state.toolsImage = (await readFile(join(repo, '.task/tools-image-ref'), 'utf8')).trim()
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

  /**
   * gitlab-ci-local in the clone, on the job image: its output, whether every job passed, how long
   * it took, and how many seconds after its start the output first held `awaited`, if given.
   */
  const gitlabCiLocal = async (args: string[], variables: Record<string, string> = {}, awaited?: string) => {
    const started = Date.now()
    const child = spawn('gitlab-ci-local', [...GITLAB_CI_LOCAL_FLAGS, ...variableFlags({ TOOLS_IMAGE: state.toolsImage, ...variables }), ...args],
      { cwd: repo, env: { ...process.env, DOCKER_CONFIG: dockerConfig }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let secondsTo: number | undefined
    const take = (chunk: Buffer) => {
      output += chunk
      if (awaited && secondsTo === undefined && output.includes(awaited)) secondsTo = (Date.now() - started) / 1000
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    const [code] = await once(child, 'close')
    // A failed job's own log, where gitlab-ci-local keeps it (a job's colon written as "Og"), says why.
    for (const [, job] of output.matchAll(/^ *FAIL +(\S+)/gm)) {
      const log = join(repo, '.gitlab-ci-local/output', `${job.replaceAll(':', 'Og')}.log`)
      t.comment(`${job} failed:\n${(await readFile(log, 'utf8').catch(() => '')).slice(-6000)}`)
    }
    return { passed: code === 0, output, seconds: (Date.now() - started) / 1000, secondsTo }
  }

  /** The jobs gitlab-ci-local plans for the checked-out ref, with when they run (those that never run left out). */
  const jobsOf = async (variables: Record<string, string> = {}) => {
    const { stdout } = await run('gitlab-ci-local', ['--list-json', ...variableFlags(variables)], { cwd: repo })
    // The JSON, after the warning that a protected ref is given, not found.
    const jobs = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as Array<{ name: string, when: string }>
    return Object.fromEntries(jobs.filter(({ when }) => when !== 'never').map(({ name, when }) => [name, when]))
  }

  return { fixtures, repo, dockerConfig, nodePort, settings, state, gitlabCiLocal, jobsOf }
}
