import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { dockerFlags } from '../../scripts/lib/docker.mjs'

// What the system tests use outside the project: each comes from the environment, and defaults to
// what ../shared/container-lab/setup provides (the README's "Tests" section lists them all).
const env = process.env

/** Extra flags for every `docker build` and `docker run` (and Task's); machines without a bridge network need --network host. */
export const DOCKER_BUILD_FLAGS = dockerFlags('DOCKER_BUILD_FLAGS', '--network host')
export const DOCKER_RUN_FLAGS = dockerFlags('DOCKER_RUN_FLAGS', '--network host')

/** A registry that takes pushes without a login, over plain HTTP. */
export const OPEN_REGISTRY = env.TEST_REGISTRY ?? '127.0.0.1:5000'

/** A registry that needs `docker login` first (TLS, with its CA known to Docker and to skopeo). */
export const LOGIN_REGISTRY = {
  host: env.TEST_LOGIN_REGISTRY ?? '127.0.0.1:5443',
  user: env.TEST_LOGIN_REGISTRY_USER ?? 'hbaas',
  password: env.TEST_LOGIN_REGISTRY_PASSWORD ?? 'hbaas-lab-password'
}

/**
 * This test run's own name, for every image and registry repository it makes: never the user's
 * `hbaas-server`, and removed afterwards. Images it builds carry it as the label TEST_RUN_LABEL.
 */
export const TEST_RUN = `hbaas-test-${process.pid}-${Date.now().toString(36)}`
export const TEST_RUN_LABEL = `hbaas-test-run=${TEST_RUN}`

/**
 * Whether a command these tests drive is here and works. Without it the test file is skipped with
 * the reason printed, except under CI=true, where it is a failure: CI must run these tests.
 */
export function hasTool (t: Test, command: string, args: string[], why: string): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 })
    return true
  } catch (error) {
    return missing(t, `${command} ${args.join(' ')} fails (${(error as Error).message.split('\n')[0]}): ${why}`)
  }
}

/** Whether a service answers HTTP at url (any status); skipped or failed like hasTool otherwise. */
export function hasService (t: Test, url: string, why: string): boolean {
  const probe = `fetch(${JSON.stringify(url)}).then(() => process.exit(0), () => process.exit(1))`
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 10_000, env: { ...env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } })
    return true
  } catch {
    return missing(t, `nothing answers at ${url}: ${why}`)
  }
}

function missing (t: Test, reason: string): false {
  if (env.CI === 'true') t.fail(`${reason}; CI=true requires it (.ci/run runs ../shared/container-lab/setup)`)
  else t.plan(0, reason)
  return false
}

/** A buildx builder that pushes linux/amd64 and linux/arm64 under one tag, with attestations. */
export const MULTI_PLATFORM_BUILDER = env.TEST_BUILDX_BUILDER ?? 'lab-multiarch'

/**
 * An AWS ECR to publish to (the lab's stand-in: `setup --status` prints its settings), its
 * endpoints, a fake account and its keys. Tests never reach a real AWS account.
 */
export const ECR = {
  account: env.TEST_AWS_ACCOUNT_ID ?? '123456789012',
  region: env.TEST_AWS_REGION ?? 'eu-west-2',
  accessKeyId: env.TEST_AWS_ACCESS_KEY_ID ?? 'lab',
  secretAccessKey: env.TEST_AWS_SECRET_ACCESS_KEY ?? 'lab',
  /** Where the AWS CLI and the ECR credential helper send their calls (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR). */
  endpoint: env.TEST_AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566'
}

/** The ECR's registry host, {account}.dkr.ecr.{region}.amazonaws.com. */
export const ECR_REGISTRY = `${ECR.account}.dkr.ecr.${ECR.region}.amazonaws.com`

/** What the AWS CLI and the credential helper need to reach the ECR API: nothing leaves the machine. */
export const ECR_ENDPOINTS = { AWS_ENDPOINT_URL: ECR.endpoint, AWS_ENDPOINT_URL_ECR: ECR.endpoint, AWS_EC2_METADATA_DISABLED: 'true' }

/** A participant's shell after `export AWS_…`: the endpoints, keys, region and account. */
export const ECR_EXPORTS = {
  ...ECR_ENDPOINTS,
  AWS_ACCESS_KEY_ID: ECR.accessKeyId,
  AWS_SECRET_ACCESS_KEY: ECR.secretAccessKey,
  AWS_REGION: ECR.region,
  AWS_DEFAULT_REGION: ECR.region,
  AWS_ACCOUNT_ID: ECR.account
}

/** Prometheus's own checker of the metrics format (.ci/run builds it with `go install`). */
export const PROMTOOL = env.TEST_PROMTOOL ?? 'promtool'

/** A file with the Prometheus Operator's ServiceMonitor CRD, if one is given; else Go fetches it (serviceMonitorCrd). */
export const SERVICE_MONITOR_CRD = env.TEST_SERVICE_MONITOR_CRD

/**
 * The Prometheus Operator's ServiceMonitor CRD, as the operator publishes it: TEST_SERVICE_MONITOR_CRD,
 * else the file in the operator's Go module, which `go mod download` fetches from the Go module proxy.
 */
export async function serviceMonitorCrd (): Promise<string> {
  if (SERVICE_MONITOR_CRD) return SERVICE_MONITOR_CRD
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', 'github.com/prometheus-operator/prometheus-operator@v0.85.0'])
  return `${JSON.parse(stdout).Dir}/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml`
}

/** The Kubernetes cluster the deployment tests use (the lab's: `kubernetes up` starts it). */
export const KUBECONFIG = env.KUBECONFIG ?? '/var/lib/container-lab/k8s/admin.kubeconfig'

/**
 * What gitlab-ci-local needs on this machine to run the pipeline's jobs as a runner would: the
 * lab's, by default (../shared/container-lab/GITLAB-CI.md): the host network (no bridge), the
 * host's Docker socket and BuildKit for the jobs that build, and the host's CA bundle, which trusts
 * the package registries' proxy and the ECR stand-in. None of it is in the pipeline itself.
 */
export const GITLAB_CI_LOCAL_FLAGS = (env.TEST_GITLAB_CI_LOCAL_FLAGS ?? [
  '--network host --pull-policy if-not-present',
  '--volume /var/run/docker.sock:/var/run/docker.sock --volume /root/.docker/buildx:/root/.docker/buildx --volume /run/buildkit:/run/buildkit',
  '--volume /etc/ssl/certs/ca-certificates.crt:/etc/container-lab-host-ca.crt:ro',
  '--variable SSL_CERT_FILE=/etc/container-lab-host-ca.crt --variable PIP_CERT=/etc/container-lab-host-ca.crt'
].join(' ')).split(/\s+/).filter(Boolean)

/** The AWS CLI as a participant after those exports runs it, against the ECR: its output, trimmed. */
export async function ecrAws (...args: string[]): Promise<string> {
  return (await promisify(execFile)('aws', args, { env: { ...process.env, ...ECR_EXPORTS } })).stdout.trim()
}
