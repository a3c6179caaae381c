import { execSync } from 'node:child_process'
import { readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { SHUTDOWN_GRACE_MS } from '../../src/plugins/shutdown'
import { bundleNodeFlags, copyBuildContext, dockerfileArg } from '../../scripts/lib/docker.mjs'
import { ROOT } from '../helpers/root'
import { buildImage, containerPorts, removeTestImages, runContainer, testImage } from '../helpers/docker'
import { docker } from '../../scripts/lib/docker.mjs'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { DOCKER_RUN_FLAGS, hasTool } from '../helpers/environment'
import { requestsInFlight, turnedAwayWithin } from '../helpers/in-flight'
import { writePeopleFile } from '../../scripts/lib/people-file.mjs'

const IMAGE = testImage('container')
const BUILD_ARGS = { VERSION: 'v1.2.3-4-gabcdef1', BUILD_TIME: '2026-11-27T17:00:00Z', COMMIT: 'abcdef1' }
const MiB = 1024 * 1024

// Runs the image as a user would, on a free port: published, and the server's own port too, so
// that it is reached the same way with DOCKER_RUN_FLAGS=--network host and without it.
async function serve (t: Test, args: string[] = []) {
  const { port, metricsPort, envFlags } = await containerPorts()
  const id = await runContainer(t, IMAGE, ['--publish', `127.0.0.1:${port}:${port}`, ...envFlags, ...args])
  const url = `http://127.0.0.1:${port}`
  const up = await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 10_000)
  return { id, url, metricsUrl: `http://127.0.0.1:${metricsPort}`, up }
}

if (hasTool(t, 'docker', ['info'], 'the container tests need a Docker engine')) {
  removeTestImages(t)
  const fixtures = t.testdir({
    'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n',
    'bad.csv': 'name,birth_date\nAda Lovelace,1815-12-32\n',
    context: {}
  })

  t.before(async () => { await buildImage(ROOT, IMAGE, BUILD_ARGS) })

  t.test('every IANA name of a time zone that Node.js 24 knows is accepted', async t => {
    const { url, up } = await serve(t)
    t.ok(up)
    for (const zone of ['Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv', 'Europe/Kiev', 'Asia/Kathmandu', 'Asia/Ho_Chi_Minh',
      'America/Argentina/Buenos_Aires', 'Etc/UTC', 'GMT', 'UTC']) {
      t.equal((await fetch(`${url}/date/today?tz=${zone}`)).status, 200, zone)
    }
    t.equal((await fetch(`${url}/date/today?tz=Mars/Olympus_Mons`)).status, 400)
  })

  t.test('every route answers from the image, with the version it was built with', async t => {
    const { url, up } = await serve(t)
    t.ok(up, 'it comes up')
    t.same(await (await fetch(`${url}/version`)).json(), { version: BUILD_ARGS.VERSION, build_time: BUILD_ARGS.BUILD_TIME, commit: BUILD_ARGS.COMMIT })
    const statuses: Record<string, number> = {}
    for (const path of ['/', '/name/Benedict%20Cumberbatch', '/date/25-December', '/date/today?tz=Europe/London', '/healthz', '/readyz', '/openapi.json', '/docs', '/docs/static/swagger-ui-bundle.js', '/date/30-February', '/nope']) {
      statuses[path] = (await fetch(url + path)).status
    }
    t.same(statuses, {
      '/': 200,
      '/name/Benedict%20Cumberbatch': 200,
      '/date/25-December': 200,
      '/date/today?tz=Europe/London': 200,
      '/healthz': 200,
      '/readyz': 200,
      '/openapi.json': 200,
      '/docs': 200,
      '/docs/static/swagger-ui-bundle.js': 200,
      '/date/30-February': 400,
      '/nope': 404
    })
    t.match((await (await fetch(`${url}/date/25-December`)).json() as { message: string }).message, 'Humphrey Bogart')
  })

  t.test('the image runs as a non-root user, on port 8000 and its metrics on 9464, with labels and a health check', async t => {
    const [config] = JSON.parse((await docker('image', 'inspect', IMAGE)).stdout).map((image: { Config: unknown }) => image.Config)
    t.equal(config.User, '65532')
    t.same(Object.keys(config.ExposedPorts).sort(), ['8000/tcp', '9464/tcp'])
    t.ok(config.Env.includes('NODE_ENV=production'), 'NODE_ENV=production')
    t.ok(config.Env.includes('PORT=8000') && config.Env.includes('METRICS_PORT=9464'), 'PORT and METRICS_PORT, documented in the image')
    t.same(config.Entrypoint, ['/nodejs/bin/node'])
    t.same(config.Cmd, [...bundleNodeFlags(), '/app/dist/server.cjs'])
    t.match(config.Healthcheck.Test, ['CMD', '/nodejs/bin/node'])
    t.match(config.Labels, {
      'org.opencontainers.image.title': 'hbaas-server',
      'org.opencontainers.image.description': String,
      'org.opencontainers.image.version': BUILD_ARGS.VERSION,
      'org.opencontainers.image.revision': BUILD_ARGS.COMMIT,
      'org.opencontainers.image.created': BUILD_ARGS.BUILD_TIME,
      'org.opencontainers.image.licenses': 'MIT'
    })
  })

  t.test('its metrics answer on METRICS_PORT, not on PORT', async t => {
    const { url, metricsUrl, up } = await serve(t)
    t.ok(up)
    await fetch(`${url}/date/25-December`)
    t.equal((await fetch(`${url}/metrics`)).status, 404, 'not on the public port')
    const metrics = await (await fetch(`${metricsUrl}/metrics`)).text()
    t.match(metrics, /^http_requests_total\{method="GET",route="\/date\/:day-:month",status_code="200"\} 1$/m)
    t.match(metrics, /^hbaas_build_info\{version="v1\.2\.3-4-gabcdef1",commit="abcdef1"\} 1$/m)
  })

  t.test('the health check turns healthy, on the port in PORT', async t => {
    const { id } = await serve(t)
    const status = await waitFor(async () => {
      const health = (await docker('inspect', '--format', '{{.State.Health.Status}}', id)).stdout.trim()
      return health === 'healthy' && health
    }, 30_000, 500)
    t.equal(status, 'healthy')
  })

  t.test('a read-only container with no capabilities still serves', async t => {
    const { url, up } = await serve(t, ['--read-only', '--cap-drop', 'ALL'])
    t.ok(up)
    t.equal((await fetch(`${url}/date/11-November`)).status, 200)
  })

  t.test('docker stop ends it cleanly within the shutdown budget', async t => {
    const { id, up } = await serve(t)
    t.ok(up)
    const started = Date.now()
    await docker('stop', id)
    const elapsed = Date.now() - started
    t.ok(elapsed < SHUTDOWN_GRACE_MS, `stopped in ${elapsed} ms`)
    t.equal((await docker('inspect', '--format', '{{.State.ExitCode}}', id)).stdout.trim(), '0')
    t.match((await docker('logs', id)).stdout, '"signal":"SIGTERM"')
  })

  t.test('docker stop with 100 requests in flight: all complete with 200, exit code 0', async t => {
    const { id, url, up } = await serve(t)
    t.ok(up)
    const inFlight = await requestsInFlight(url, 100)
    const started = Date.now()
    const stopped = docker('stop', id)
    const turnedAway = await turnedAwayWithin(`${url}/date/25-December`, SHUTDOWN_GRACE_MS)
    t.ok(turnedAway, `a new connection is turned away (${turnedAway})`)
    const results = await inFlight.finish()
    t.same(results.map(result => result.status), Array(100).fill(200), 'every request in flight completes with 200')
    await stopped
    t.ok(Date.now() - started < SHUTDOWN_GRACE_MS, `stopped in ${Date.now() - started} ms`)
    t.equal((await docker('inspect', '--format', '{{.State.ExitCode}}', id)).stdout.trim(), '0')
  })

  t.test('the image has no shell and nothing but the bundle', async t => {
    // Only "there is no sh" passes: any other failure of docker run is not evidence of that.
    const noShell = await docker('run', '--rm', ...DOCKER_RUN_FLAGS, '--entrypoint', 'sh', IMAGE, '-c', 'true')
      .then(() => 'sh ran', (error: Error & { stderr: string }) => error.stderr)
    t.match(noShell, /executable file not found|no such file or directory/, 'docker cannot find sh in the image')
    const id = (await docker('create', IMAGE)).stdout.trim()
    t.teardown(() => docker('rm', id))
    const listing = execSync(`docker export ${id} | tar -t`, { encoding: 'utf8', maxBuffer: 64 * MiB }).trim().split('\n')
    t.same(listing.filter(file => file.startsWith('app/')).sort(),
      ['app/', 'app/dist/', 'app/dist/docs/', 'app/dist/docs/favicon-32x32.png', 'app/dist/docs/swagger-ui-bundle.js', 'app/dist/docs/swagger-ui.css',
        'app/dist/sbom.cdx.json', 'app/dist/server.cjs', 'app/dist/server.cjs.map'])
    for (const unwanted of [/(^|\/)node_modules\//, /^app\/src\//, /(^|\/)\.git\//, /(^|\/)\.env/, /(^|\/)bin\/(ba)?sh$/, /(^|\/)npm$/]) {
      t.notOk(listing.some(file => unwanted.test(file)), `nothing matches ${unwanted}`)
    }
  })

  t.test('a people file mounted read-only is served; a bad one stops the container', async t => {
    const good = await serve(t, ['--volume', `${join(fixtures, 'team.csv')}:/data/team.csv:ro`, '--env', 'PEOPLE_FILE=/data/team.csv'])
    t.ok(good.up)
    t.same((await (await fetch(`${good.url}/date/10-December`)).json() as { message: string }).message, 'Happy birthday to Ada Lovelace!')

    const id = await runContainer(t, IMAGE, ['--volume', `${join(fixtures, 'bad.csv')}:/data/team.csv:ro`, '--env', 'PEOPLE_FILE=/data/team.csv'])
    const { stdout: exitCode } = await docker('wait', id)
    t.equal(exitCode.trim(), '1')
    const { stderr } = await docker('logs', id)
    t.match(stderr, 'hbaas-server cannot start: /data/team.csv, line 2: birth_date "1815-12-32" is not a real date')
  })

  t.test('a people file is served or refused in one line, never killed: by the container\'s memory, and by V8\'s heap limit', async t => {
    const mountOf = async (name: string, rows: number) => {
      await writePeopleFile(join(fixtures, name), rows)
      return ['--volume', `${join(fixtures, name)}:/data/people.csv:ro`, '--env', 'PEOPLE_FILE=/data/people.csv']
    }
    const team = await mountOf('team-2mib.csv', 60_000) // about 1.9 MiB
    const company = await mountOf('company-7mib.csv', 230_000) // about 7.1 MiB: OOMKilled in 64 MiB when it was read
    const refusal = async (args: string[]) => {
      const id = await runContainer(t, IMAGE, args)
      const exitCode = (await docker('wait', id)).stdout.trim()
      const { stdout, stderr } = await docker('logs', id)
      return { exitCode, killed: (await docker('inspect', '--format', '{{.State.OOMKilled}}', id)).stdout.trim(), stdout, stderr }
    }
    const small = await serve(t, ['--memory', '64m', ...team])
    t.ok(small.up, '64 MiB: 60,000 people are served')
    t.equal(((await (await fetch(`${small.url}/date/1-March`)).json()) as { total: number }).total > 100, true)
    t.match(await refusal(['--memory', '64m', ...company]), {
      exitCode: '1',
      killed: 'false',
      stdout: '',
      stderr: /^hbaas-server cannot start: \/data\/people\.csv: the file is 7\.\d MiB, more than the 2\.\d MiB allowed: 64 MiB of memory holds no more; give the process 50 MiB plus 5 MiB for each MiB of the file, or set PEOPLE_FILE_MAX_MIB \(docs\/configuration\.md, "How many people"\)\n$/
    }, '64 MiB: 230,000 people are refused, in one line')
    const big = await serve(t, ['--memory', '256m', ...company])
    t.ok(big.up, '256 MiB: the same 230,000 people are served')
    // A file far bigger than V8 may hold; its size alone refuses it, so it can be a hole.
    const huge = join(fixtures, 'huge.csv')
    await writeFile(huge, '')
    await truncate(huge, 90 * MiB)
    t.match(await refusal(['--env', 'NODE_OPTIONS=--max-old-space-size=64', '--volume', `${huge}:/data/people.csv:ro`, '--env', 'PEOPLE_FILE=/data/people.csv']), {
      exitCode: '1',
      stdout: '',
      stderr: /^hbaas-server cannot start: \/data\/people\.csv: the file is 90\.0 MiB, more than the \d+\.\d MiB allowed: V8's heap limit of \d+ MiB holds no more; raise it \(--max-old-space-size, in NODE_OPTIONS\)[^\n]*\n$/
    }, '--max-old-space-size=64: refused in one line, not a fatal error of V8')
  })

  t.test('budgets: at most 5 MiB on top of the base, and a source change reuses the npm ci layer', async t => {
    const inspectSize = async (image: string) => Number((await docker('image', 'inspect', '--format', '{{.Size}}', image)).stdout)
    const added = await inspectSize(IMAGE) - await inspectSize(dockerfileArg('RUNNER_IMAGE'))
    t.ok(added <= 5 * MiB, `the image adds ${(added / MiB).toFixed(2)} MiB to its base`)

    // A copy of the build context in which one file under src/ changes.
    const context = join(fixtures, 'context')
    copyBuildContext(context)
    const rebuilt = testImage('rebuilt')
    await buildImage(context, rebuilt)
    const changed = join(context, 'src/routes/root.ts')
    await writeFile(changed, `${await readFile(changed, 'utf8')}\n// changed at ${Date.now()}\n`)
    const { stderr: log } = await buildImage(context, rebuilt)
    t.equal((await docker('image', 'inspect', '--format', '{{index .Config.Labels "org.opencontainers.image.version"}}', rebuilt)).stdout.trim(),
      'dev', 'without build arguments the version is dev')
    t.match(log, /#\d+ \[builder \d+\/\d+\] RUN --mount=type=cache,target=\/root\/\.npm npm ci[^\n]*\n#\d+ CACHED/, 'npm ci is CACHED')
    t.match(log, /#\d+ \[builder \d+\/\d+\] RUN npm run build\n(?!#\d+ CACHED)/, 'the bundle is rebuilt')
  })
}
