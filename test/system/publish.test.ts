import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { dockerfileArg } from '../../scripts/lib/docker.mjs'
import { ROOT } from '../helpers/root'
import { containerPorts, removeTestImages } from '../helpers/docker'
import { docker } from '../../scripts/lib/docker.mjs'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { DOCKER_RUN_FLAGS, ECR, ECR_ENDPOINTS, ECR_EXPORTS, ECR_REGISTRY, MULTI_PLATFORM_BUILDER, OPEN_REGISTRY, TEST_RUN, hasService, hasTool, ecrAws } from '../helpers/environment'
import { run } from '../helpers/processes'
import { deleteRepositoriesAfter, listTags, rawManifest, type Registry } from '../helpers/registry'
import { makeDockerConfig, makeUserClone, taskRunner } from '../helpers/task'

// Publishing as the workshop does it, to AWS ECR (the container lab's stand-in): create the
// repository, log in (or use the credential helper), upload for two platforms, then what the
// pushed image says about itself (SBOM, provenance, signature) and that it is reproducible.
if (hasTool(t, 'task', ['--version'], 'the publishing tests run go-task') &&
    hasTool(t, 'docker', ['buildx', 'inspect', MULTI_PLATFORM_BUILDER], 'upload-image pushes both platforms with a multi-platform builder (TEST_BUILDX_BUILDER)') &&
    hasTool(t, 'aws', ['--version'], 'the ECR tasks use the AWS CLI') &&
    hasTool(t, 'docker-credential-ecr-login', ['version'], 'one way to log in to ECR is its credential helper') &&
    hasTool(t, 'cosign', ['version'], 'task sign-image signs with cosign') &&
    hasTool(t, 'skopeo', ['--version'], 'the tests read what was pushed with skopeo') &&
    hasService(t, ECR.endpoint, 'the ECR API (TEST_AWS_ENDPOINT_URL)') &&
    hasService(t, `http://${OPEN_REGISTRY}/v2/`, 'the reproducibility test pushes to an open registry (TEST_REGISTRY)')) {
  removeTestImages(t)
  const fixtures = t.testdir({ repo: {}, 'no-aws': {}, 'aws-configured': { '.aws': {} }, 'aws-profile': { '.aws': {} }, keys: {}, 'fake-bin': {} })
  const repo = join(fixtures, 'repo')
  const host = ECR_REGISTRY
  const repository = `${TEST_RUN}/hbaas-server`
  const helperRepository = `${TEST_RUN}/hbaas-server-helper`
  const uri = `${host}/${repository}`

  const endpoints = ECR_ENDPOINTS
  // Three ways a participant's machine may be set up, and one not set up at all.
  const exported = ECR_EXPORTS
  const awsConfigured = { ...endpoints, HOME: join(fixtures, 'aws-configured') } // what `aws configure` writes
  const awsProfile = { ...endpoints, HOME: join(fixtures, 'aws-profile'), AWS_PROFILE: 'workshop' }
  const noAws = { ...endpoints, HOME: join(fixtures, 'no-aws') }

  const dockerConfigs = { login: join(fixtures, 'docker-login'), helper: join(fixtures, 'docker-helper') }
  const { task, taskResult, taskEnv } = taskRunner(repo, { CONTAINER_NAMESPACE: TEST_RUN, BUILDX_BUILDER: MULTI_PLATFORM_BUILDER, DOCKER_CONFIG: dockerConfigs.login })
  const ecr: Registry = { host, user: 'AWS', password: '' }
  let version = ''

  t.before(async () => {
    ({ version } = await makeUserClone(repo))
    ecr.password = await ecrAws('ecr', 'get-login-password')
    await writeFile(join(fixtures, 'aws-configured/.aws/config'), `[default]\nregion = ${ECR.region}\n`)
    await writeFile(join(fixtures, 'aws-configured/.aws/credentials'), `[default]\naws_access_key_id = ${ECR.accessKeyId}\naws_secret_access_key = ${ECR.secretAccessKey}\n`)
    await writeFile(join(fixtures, 'aws-profile/.aws/config'), `[profile workshop]\nregion = ${ECR.region}\n`)
    await writeFile(join(fixtures, 'aws-profile/.aws/credentials'), `[workshop]\naws_access_key_id = ${ECR.accessKeyId}\naws_secret_access_key = ${ECR.secretAccessKey}\n`)
    await makeDockerConfig(dockerConfigs.login)
    await makeDockerConfig(dockerConfigs.helper, { credHelpers: { [host]: 'ecr-login' } })
  })
  deleteRepositoriesAfter(t, ecr, () => [repository, helperRepository])
  t.teardown(async () => {
    for (const name of [repository, helperRepository]) await ecrAws('ecr', 'delete-repository', '--force', '--repository-name', name).catch(() => {})
  })

  t.test('without AWS settings, each ECR task stops before doing anything, saying what is missing', async t => {
    for (const name of ['ecr:login', 'ecr:create-repository', 'image:upload', 'image:sign', 'image:verify', 'image:sbom', 'ecr:delete-repository']) {
      const result = await taskResult([name, '--yes'], { ...noAws, COSIGN_KEY: join(ROOT, 'package.json'), COSIGN_PUBLIC_KEY: join(ROOT, 'package.json') })
      t.not(result.code, 0, name)
      const [first] = result.stderr.split('\n')
      t.match(first, /No AWS region.*AWS_REGION.*aws configure set region/, `${name}, first: ${first}`)
      t.notMatch(result.stderr, /task: \[[\w:-]+\] /, `${name}: no command ran`)
    }
    const noAccount = await taskResult(['ecr:login'], { ...noAws, AWS_REGION: ECR.region })
    t.match(noAccount.stderr.split('\n')[0], /No AWS account.*AWS_ACCOUNT_ID.*aws configure/, 'the account, and how to give it')
    t.notMatch(noAccount.stderr, /task: \[ecr-login\] /, 'no command ran')
    const withoutAwsCli = (process.env.PATH ?? '').split(':').filter(dir => !existsSync(join(dir, 'aws'))).join(':')
    const noCli = await taskResult(['ecr:login'], { ...exported, PATH: withoutAwsCli })
    t.match(noCli.stderr.split('\n')[0], /The AWS CLI is not installed/)
  })

  t.test('account and region come from the AWS CLI\'s own settings, AWS_PROFILE included', async t => {
    const loginCommand = (stderr: string) => stderr.match(/task: \[ecr:login\] (.*)/)?.[1]
    const expected = `aws ecr get-login-password --region ${ECR.region} | docker login --username AWS --password-stdin ${host}`
    t.equal(loginCommand((await task(['--dry', 'ecr:login'], awsConfigured)).stderr), expected, 'aws configure')
    t.equal(loginCommand((await task(['--dry', 'ecr:login'], awsProfile)).stderr), expected, 'AWS_PROFILE')
    t.equal(loginCommand((await task(['--dry', 'ecr:login'], { ...exported, AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-2' })).stderr), expected, 'AWS_DEFAULT_REGION')
  })

  t.test('the AWS CLI is asked only by the tasks that need it', async t => {
    const calls = join(fixtures, 'aws-calls')
    // An AWS CLI that knows a region and nothing else, and writes down what it is asked.
    await writeFile(join(fixtures, 'fake-bin/aws'), `#!/bin/sh\necho "$@" >> ${calls}\n[ "$*" = "configure get region" ] && echo eu-west-2 && exit 0\nexit 1\n`)
    await chmod(join(fixtures, 'fake-bin/aws'), 0o755)
    const withFakeAws = { ...noAws, PATH: `${join(fixtures, 'fake-bin')}:${process.env.PATH}` }
    await writeFile(calls, '')
    const { stderr } = await task(['--dry', 'image:upload', `CONTAINER_REGISTRY=${OPEN_REGISTRY}`], withFakeAws)
    t.match(stderr, `--tag ${OPEN_REGISTRY}/${TEST_RUN}/hbaas-server:latest`)
    t.equal(await readFile(calls, 'utf8'), '', 'upload-image to CONTAINER_REGISTRY: no AWS lookups')
    await task(['--dry', 'image:build'], withFakeAws)
    t.equal(await readFile(calls, 'utf8'), '', 'build-image: none')
    await taskResult(['ecr:login'], withFakeAws)
    const asked = await readFile(calls, 'utf8')
    t.match(asked, /^configure get region$/m, 'ecr-login: the region')
    t.match(asked, /^sts get-caller-identity /m, 'and the account')
  })

  t.test('create-repository, ecr-login and upload-image, as the workshop does them', async t => {
    await task(['ecr:create-repository'], awsConfigured)
    const [created] = JSON.parse(await ecrAws('ecr', 'describe-repositories', '--repository-names', repository)).repositories
    t.match(created, { repositoryName: repository, imageScanningConfiguration: { scanOnPush: true } })
    t.match((await task(['ecr:create-repository'], awsConfigured)).stderr, 'Task "ecr:create-repository" is up to date', 'once made, it is there')
    const notLoggedIn = await taskResult(['image:upload'], awsConfigured)
    t.not(notLoggedIn.code, 0, 'before ecr-login the push is refused')
    t.equal(notLoggedIn.stderr.split('\n').find(line => line.startsWith('Push to')),
      `Push to ${host} failed. Not logged in to ${host}, or the login has expired (it lasts 12 hours): run \`task ecr:login\`, or use the ECR credential helper (docs/publishing.md, "Logging in").`,
      'with the hint for ECR, and no docker login')
    await task(['ecr:login'], awsConfigured)
    await task(['image:upload'], awsConfigured)
    // The stand-in's describe-images knows nothing of pushes: the registry's own API says what arrived.
    t.same((await listTags(ecr, repository)).sort(), ['feature-containerise-api', 'latest', version].sort())
  })

  t.test('each tag is one index for linux/amd64 and linux/arm64', async t => {
    const index = await rawManifest(ecr, `${repository}:${version}`)
    t.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json')
    const images = index.manifests.filter(({ platform }: { platform: { os: string } }) => platform.os !== 'unknown')
    t.same(images.map(({ platform }: { platform: { os: string, architecture: string } }) => `${platform.os}/${platform.architecture}`).sort(), ['linux/amd64', 'linux/arm64'])
  })

  t.test('the arm64 image, pulled for linux/arm64, starts and answers with the pushed version', async t => {
    const { port, envFlags } = await containerPorts()
    const dockerWithLogin = (...args: string[]) => run('docker', args, { env: { ...process.env, DOCKER_CONFIG: dockerConfigs.login }, maxBuffer: 16 * 1024 * 1024 })
    const { stdout } = await dockerWithLogin('run', '--detach', '--platform', 'linux/arm64', ...DOCKER_RUN_FLAGS,
      '--publish', `127.0.0.1:${port}:${port}`, ...envFlags, `${uri}:${version}`)
    const id = stdout.trim()
    t.teardown(() => docker('rm', '--force', id).catch(() => {}))
    t.equal((await docker('image', 'inspect', '--format', '{{.Architecture}}', `${uri}:${version}`)).stdout.trim(), 'arm64')
    const answer = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/version`)).json(), 60_000, 500) // under QEMU here
    t.match(answer, { version })
  })

  t.test('the credential helper logs in instead of ecr-login', async t => {
    const withHelper = { ...exported, DOCKER_CONFIG: dockerConfigs.helper, CONTAINER_REPO: 'hbaas-server-helper' }
    await task(['ecr:create-repository'], withHelper)
    await task(['image:upload'], withHelper)
    t.same((await listTags(ecr, helperRepository)).sort(), ['feature-containerise-api', 'latest', version].sort())
  })

  t.test('the pushed image carries an SBOM of the bundled packages, which task sbom lists, and its provenance', async t => {
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8'))
    const { devDependencies } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
    const listed = (await task(['image:sbom'], exported)).stdout.trim().split('\n').map(line => line.split(' '))
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const packages = new Map(listed.filter(([listedPlatform]) => listedPlatform === platform).map(([, name, version]) => [name, version]))
      for (const name of ['fastify', 'pino', 'csv-parse']) t.equal(packages.get(name), lock.packages[`node_modules/${name}`].version, `${platform}: ${name} at its locked version`)
      t.same([...packages.keys()].filter(name => name in devDependencies), [], `${platform}: nothing from devDependencies`)
    }
    const sbomOf = async (image: string) => (await run(process.execPath, [join(ROOT, 'scripts/publish/sbom.mjs'), image],
      { env: { ...process.env, ...exported, DOCKER_CONFIG: dockerConfigs.login, BUILDX_BUILDER: MULTI_PLATFORM_BUILDER } })).stdout
    t.match(await sbomOf(`${uri}:${version}`), `linux/arm64 fastify ${lock.packages['node_modules/fastify'].version}\n`, 'the script the task runs')
    const base = dockerfileArg('RUNNER_IMAGE')
    t.equal(await sbomOf(base), `${base} has no SBOM with packages: was it pushed with task image:upload by a builder that attaches one?\n`, 'an image without one says so')
    const inspect = async (what: string) => JSON.parse((await run('docker', ['buildx', 'imagetools', 'inspect', '--builder', MULTI_PLATFORM_BUILDER,
      `${uri}:${version}`, '--format', `{{json .${what}}}`], { env: { ...process.env, DOCKER_CONFIG: dockerConfigs.login }, maxBuffer: 64 * 1024 * 1024 })).stdout)
    const provenance = await inspect('Provenance')
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const { buildDefinition } = provenance[platform].SLSA
      t.equal(buildDefinition.externalParameters.request.args['build-arg:VERSION'], version, `${platform}: provenance of this build`)
      t.ok(buildDefinition.resolvedDependencies.some(({ uri }: { uri: string }) => uri.includes('distroless/nodejs24-debian13')), `${platform}: with its base image (mode=max)`)
    }
  })

  t.test('task sign-image signs each tag\'s digest, task verify-image checks them offline; an unsigned or re-pushed tag fails', async t => {
    const cosignEnv = { ...process.env, COSIGN_PASSWORD: 'test-password', DOCKER_CONFIG: dockerConfigs.login }
    // As the docs say it, in the project's folder: the private key is never committed.
    await run('cosign', ['generate-key-pair'], { cwd: repo, env: cosignEnv })
    const { stdout: untracked } = await run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo })
    t.same(untracked.split('\n').filter(Boolean), ['?? cosign.pub'], '`git add .` takes cosign.pub, never cosign.key')
    await run('cosign', ['generate-key-pair', '--output-key-prefix', join(fixtures, 'keys/cosign')], { env: cosignEnv })
    const keys = { COSIGN_KEY: join(fixtures, 'keys/cosign.key'), COSIGN_PASSWORD: 'test-password', COSIGN_PUBLIC_KEY: join(fixtures, 'keys/cosign.pub') }
    const withoutPassword = { ...exported, COSIGN_KEY: keys.COSIGN_KEY, COSIGN_PUBLIC_KEY: keys.COSIGN_PUBLIC_KEY }
    const noTerminal = await taskResult(['image:sign'], withoutPassword)
    t.not(noTerminal.code, 0, 'without COSIGN_PASSWORD or a terminal to ask on, it stops')
    t.match(noTerminal.stderr, /^COSIGN_PASSWORD is not set, and there is no terminal on which to ask for the password of COSIGN_KEY: set COSIGN_PASSWORD/m, 'in one line naming COSIGN_PASSWORD')
    t.notMatch(noTerminal.stderr, /inappropriate ioctl/)
    t.not((await taskResult(['image:verify'], { ...exported, ...keys })).code, 0, 'having signed nothing')
    // On a terminal of its own (script), the password typed once signs every tag.
    const terminal = spawn('script', ['--quiet', '--return', '--command', 'task image:sign', '/dev/null'], { cwd: repo, env: taskEnv(withoutPassword) })
    let screen = ''
    terminal.stdout.on('data', chunk => { screen += chunk })
    terminal.stdin.end(`${keys.COSIGN_PASSWORD}\n`)
    const [code] = await once(terminal, 'close')
    t.equal(code, 0, 'signed on a terminal')
    t.equal(screen.match(/Enter password for private key/g)?.length, 1, 'asking for the password once, for the three tags')
    const verified = await task(['image:verify'], { ...exported, ...keys })
    for (const tag of ['latest', version, 'feature-containerise-api']) t.match(verified.stderr, `Verification for ${uri}:${tag} --`, tag)
    t.notMatch(verified.stderr, /TUF|tuf-repo/, 'without reaching for Sigstore\'s TUF repository')
    t.not((await taskResult(['image:sign'], { ...exported, ...keys, COSIGN_PASSWORD: 'not-the-password' })).code, 0, 'a wrong password: cosign says no, and so does the task')
    const withoutFlags = await run(process.execPath, [join(ROOT, 'scripts/publish/sign.mjs'), `${uri}:v9.9.9`], { env: { ...process.env, DOCKER_CONFIG: dockerConfigs.login } }).catch(error => error)
    t.match(withoutFlags, { code: 1, stderr: `Cannot read the digest of ${uri}:v9.9.9: ` }, 'the script without cosign flags: keyless, and still nothing signed that was not pushed')
    const digest = JSON.parse((await run('docker', ['buildx', 'imagetools', 'inspect', `${uri}:latest`, '--format', '{{json .Manifest}}'], { env: { ...process.env, DOCKER_CONFIG: dockerConfigs.login } })).stdout).digest
    await task(['image:sign', `IMAGE=${uri}@${digest}`], { ...exported, ...keys })
    t.match((await task(['image:verify', `IMAGE=${uri}@${digest}`], { ...exported, ...keys })).stderr, `Verification for ${uri}@${digest} --`, 'a digest (IMAGE) is signed and verified as it is')
    const notPushed = await taskResult(['image:sign'], { ...exported, ...keys, VERSION: 'v9.9.9' })
    t.not(notPushed.code, 0)
    t.match(notPushed.stderr, `Cannot read the digest of ${uri}:v9.9.9: `, 'a tag that was never pushed is named')
    t.match(notPushed.stderr, 'Was it pushed (task image:upload), with this VERSION?')
    const unsigned = await taskResult(['image:verify'], { ...exported, ...keys, CONTAINER_REPO: 'hbaas-server-helper' })
    t.not(unsigned.code, 0)
    t.match(unsigned.stderr, /no signatures found|no matching signatures/, 'an unsigned image fails')
    await task(['image:upload'], { ...exported, VERSION: `${version}-repushed` })
    const repushed = await taskResult(['image:verify'], { ...exported, ...keys })
    t.not(repushed.code, 0, 'latest, pushed again, fails')
    t.match(repushed.stderr, `Verification for ${uri}:${version} --`, 'the tag that was not pushed again still verifies')
    t.match(repushed.stderr, /no signatures found|no matching signatures/)
  })

  t.test('two clean builds of one commit give the same image for each platform', async t => {
    const platformDigests = async (name: string) => {
      await task(['image:upload'], { CONTAINER_REGISTRY: OPEN_REGISTRY, CONTAINER_REPO: name, DOCKER_BUILD_FLAGS: `${process.env.DOCKER_BUILD_FLAGS ?? '--network host'} --no-cache` })
      const index = await rawManifest({ host: OPEN_REGISTRY }, `${TEST_RUN}/${name}:latest`)
      return Object.fromEntries(index.manifests.filter(({ platform }: { platform: { os: string } }) => platform.os !== 'unknown')
        .map(({ platform, digest }: { platform: { os: string, architecture: string }, digest: string }) => [`${platform.os}/${platform.architecture}`, digest]))
    }
    deleteRepositoriesAfter(t, { host: OPEN_REGISTRY }, () => [`${TEST_RUN}/first-build`, `${TEST_RUN}/second-build`])
    const first = await platformDigests('first-build')
    const second = await platformDigests('second-build')
    t.same(Object.keys(first).sort(), ['linux/amd64', 'linux/arm64'])
    t.same(second, first)
  })
}
