import { readFileSync } from 'node:fs'
import { cp, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { SHUTDOWN_GRACE_MS } from '../../src/plugins/shutdown'
import { buildTestApp } from '../helpers/app'
import { buildBundle, listeningPorts, startServer } from '../helpers/processes'
import { parseSamples, valueOf } from '../helpers/metrics'
import { writePeopleFile } from '../../scripts/lib/people-file.mjs'

// The bundle is what the image runs: build it once with known build info, then copy dist/ alone
// into an empty folder, so that nothing (node_modules, src/, the data file) can be found beside it.
const BUILD_INFO = { VERSION: 'v1.2.3-4-gabcdef1', BUILD_TIME: '2026-11-27T17:00:00Z', COMMIT: 'abcdef1' }
const buildDir = t.testdir({ 'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n', 'bad.csv': 'name,birth_date\nAda Lovelace,1815-02-30\n', runDir: {} })
const runDir = join(buildDir, 'runDir')

// A company's people: 100,000 rows, about 3 MiB.
const companyFile = join(buildDir, 'company.csv')

t.before(async () => {
  await writePeopleFile(companyFile, 100_000)
  await buildBundle(join(buildDir, 'dist'), BUILD_INFO)
  await cp(join(buildDir, 'dist'), join(runDir, 'dist'), { recursive: true })
})

t.test('the bundle is one minified CommonJS file of at most 1 MiB, with a source map', async t => {
  const bundle = await readFile(join(runDir, 'dist/server.cjs'), 'utf8')
  t.ok(bundle.length <= 1024 * 1024, `${(bundle.length / 1024).toFixed(0)} KiB`)
  t.notMatch(bundle, 'caseFoldedHash', 'minified: local names are mangled')
  t.match(bundle, /\/\/# sourceMappingURL=server\.cjs\.map\s*$/)
  t.ok((await stat(join(runDir, 'dist/server.cjs.map'))).size > 0)
  t.notMatch(bundle, /^\s*(import|export) /m, 'no ES module syntax')
})

t.test('it serves every route from a folder that holds only dist/', async t => {
  const server = await startServer(t, runDir)
  const get = async (path: string) => {
    const res = await fetch(server.url + path)
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
  }
  t.same(JSON.parse((await get('/version')).body), { version: 'v1.2.3-4-gabcdef1', build_time: '2026-11-27T17:00:00Z', commit: 'abcdef1' })
  const christmas = await get('/date/25-December')
  t.equal(christmas.type, 'application/json; charset=utf-8')
  t.match(JSON.parse(christmas.body).message, /Humphrey Bogart.*Annie Lennox|Annie Lennox.*Humphrey Bogart/)
  t.same(JSON.parse((await get('/name/Benedict%20Cumberbatch')).body), { message: 'Happy birthday Benedict Cumberbatch!' })
  t.equal((await get('/date/30-February')).status, 400)
  // The document made at build time is the one the app generates from its routes.
  const generated = await buildTestApp(t, { buildInfo: { version: BUILD_INFO.VERSION, buildTime: BUILD_INFO.BUILD_TIME, commit: BUILD_INFO.COMMIT } })
  t.same(JSON.parse((await get('/openapi.json')).body), (await generated.inject('/openapi.json')).json(), 'the API document of this build')
  t.equal((await get('/docs')).status, 200)
  for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png']) {
    const res = await get(`/docs/static/${asset}`)
    t.equal(res.status, 200, asset)
  }
  t.equal((await get('/metrics')).status, 404, 'no metrics on the public port')
  const metrics = await fetch(`${server.metricsUrl}/metrics`)
  t.equal(metrics.status, 200, 'but on the metrics port')
  t.match(await metrics.text(), /^hbaas_build_info\{version="v1\.2\.3-4-gabcdef1",commit="abcdef1"\} 1$/m, 'with this build')
  t.same(await listeningPorts(server.child.pid!), [new URL(server.url).port, new URL(server.metricsUrl).port].map(Number).sort((a, b) => a - b), 'it listens on those two ports')
  const log = server.stdout().trim().split('\n').map(line => JSON.parse(line))
  t.match(log.find(line => line.url === '/version'), { msg: 'request completed', statusCode: 200, reqId: String }, 'JSON logs on stdout')
  t.same(log.filter(line => / listening at /.test(line.msg)).map(line => line.msg).sort(),
    [`API listening at ${server.url}`, `metrics listening at ${server.metricsUrl}/metrics`],
    'each port says what listens on it')

  const stopping = Date.now()
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'SIGTERM: exit code 0')
  t.ok(Date.now() - stopping < SHUTDOWN_GRACE_MS, `stopped in ${Date.now() - stopping} ms`)
})

t.test('its metrics count what it answered, and a traceparent\'s ids are in the request\'s log line', async t => {
  const server = await startServer(t, runDir)
  const scrape = async () => parseSamples(await (await fetch(`${server.metricsUrl}/metrics`)).text())
  const before = await scrape()
  for (let i = 0; i < 20; i++) await fetch(`${server.url}/date/25-December`)
  for (let i = 0; i < 3; i++) await fetch(`${server.url}/no/such/path`)
  const after = await scrape()
  const grown = (labels: Record<string, string>) => valueOf(after, 'http_requests_total', labels) - valueOf(before, 'http_requests_total', labels)
  t.equal(grown({ method: 'GET', route: '/date/:day-:month', status_code: '200' }), 20)
  t.equal(grown({ route: 'unmatched', status_code: '404' }), 3)
  t.equal(valueOf(after, 'http_request_duration_seconds_count'), valueOf(after, 'http_requests_total'), 'the histogram counts the same')
  t.equal(valueOf(after, 'hbaas_people'), 1299)

  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
  await fetch(`${server.url}/name/Ada`, { headers: { traceparent } })
  await fetch(`${server.url}/name/Grace`, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331' } })
  server.child.kill('SIGTERM')
  await server.exited
  const log = server.stdout().trim().split('\n').map(line => JSON.parse(line))
  t.match(log.find(line => line.url === '/name/Ada'), { trace_id: '0af7651916cd43dd8448eb211c80319c', parent_span_id: 'b7ad6b7169203331', statusCode: 200 })
  t.notOk('trace_id' in log.find(line => line.url === '/name/Grace'), 'an invalid one is ignored')
})

t.test('METRICS_PORT=0: no metrics server, only the public port', async t => {
  const server = await startServer(t, runDir, { METRICS_PORT: '0' })
  t.equal((await fetch(`${server.url}/date/25-December`)).status, 200)
  t.same(await listeningPorts(server.child.pid!), [Number(new URL(server.url).port)])
})

t.test('SIGINT and idle keep-alive connections do not hold it up', async t => {
  const server = await startServer(t, runDir)
  const { Agent, get } = await import('node:http')
  const agent = new Agent({ keepAlive: true })
  await new Promise(resolve => get(`${server.url}/healthz`, { agent }, res => res.resume().on('end', resolve)))
  const stopping = Date.now()
  server.child.kill('SIGINT')
  t.equal(await server.exited, 0)
  t.ok(Date.now() - stopping < SHUTDOWN_GRACE_MS, `stopped in ${Date.now() - stopping} ms with a keep-alive connection open`)
  agent.destroy()
})

t.test('PEOPLE_FILE replaces the bundled people', async t => {
  const server = await startServer(t, runDir, { PEOPLE_FILE: join(buildDir, 'team.csv') })
  t.same(await (await fetch(`${server.url}/date/10-December`)).json(), {
    message: 'Happy birthday to Ada Lovelace!', date: { day: 10, month: 12, month_name: 'December' }, people: [{ name: 'Ada Lovelace', born: 1815 }], total: 1
  })
  const christmas = await (await fetch(`${server.url}/date/25-December`)).json() as { people: unknown[] }
  t.same(christmas.people, [], 'the bundled people are gone')
})

t.test('a company of 100,000 people: each day in pages, and a limit on the file', async t => {
  const server = await startServer(t, runDir, { PEOPLE_FILE: companyFile, PEOPLE_FILE_MAX_MIB: '4' })
  const first = await fetch(`${server.url}/date/1-March`)
  const body = await first.json() as { message: string, people: unknown[], total: number, next: string }
  t.ok(body.total > 200, `${body.total} people born on 1 March`)
  t.match(body.message, new RegExp(`^Happy birthday to [^,]+, [^,]+, [^,]+ and ${(body.total - 3).toLocaleString('en')} others!$`))
  t.equal(body.people.length, 100)
  t.equal(first.headers.get('link'), `<${body.next}>; rel="next"`)
  const second = await (await fetch(`${server.url}${body.next}`)).json() as { people: unknown[] }
  t.equal(second.people.length, 100, 'the next page')
  t.notSame(second.people, body.people)

  const tooBig = await startServer(t, runDir, { PEOPLE_FILE: companyFile, PEOPLE_FILE_MAX_MIB: '2' })
  t.equal(await tooBig.exited, 1)
  t.match(tooBig.stderr(), new RegExp(`^hbaas-server cannot start: ${companyFile}: the file is 3\\.0 MiB, more than the 2\\.0 MiB allowed: set PEOPLE_FILE_MAX_MIB higher \\(docs/configuration.md, "How many people"\\)\n$`))
})

t.test('a bad start-up setting stops it with exit code 1 and one clear message', async t => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ PEOPLE_FILE: join(buildDir, 'bad.csv') }, `${join(buildDir, 'bad.csv')}, line 2: birth_date "1815-02-30" is not a real date`],
    [{ PEOPLE_FILE: join(buildDir, 'missing.csv') }, `${join(buildDir, 'missing.csv')}: cannot read the file (ENOENT)`],
    [{ PORT: 'eighty' }, 'PORT is "eighty" but must be a port number from 1 to 65535'],
    [{ LOG_LEVEL: '' }, 'LOG_LEVEL is empty but must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is "loud"'],
    [{ PEOPLE_FILE_MAX_MIB: 'lots' }, 'PEOPLE_FILE_MAX_MIB is "lots"']
  ]
  for (const [env, message] of cases) {
    const server = await startServer(t, runDir, env)
    t.equal(await server.exited, 1, JSON.stringify(env))
    t.match(server.stderr(), `hbaas-server cannot start: ${message}`)
    t.equal(server.stderr().trim().split('\n').length, 1, 'one line')
  }
  const first = await startServer(t, runDir)
  const second = await startServer(t, runDir, { PORT: new URL(first.url).port })
  t.equal(await second.exited, 1, 'a busy port')
  t.match(second.stderr(), /^hbaas-server cannot start: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/)
  const metricsPort = new URL(first.metricsUrl).port
  const third = await startServer(t, runDir, { METRICS_PORT: metricsPort })
  t.equal(await third.exited, 1, 'a busy metrics port')
  t.equal(third.stderr(), `hbaas-server cannot start: METRICS_PORT ${metricsPort}: listen EADDRINUSE: address already in use 127.0.0.1:${metricsPort}: ` +
    'set METRICS_PORT to a free port, or to 0 for no metrics\n')
  const fourth = await startServer(t, runDir, { METRICS_PORT: new URL(first.url).port, PORT: new URL(first.url).port })
  t.equal(await fourth.exited, 1, 'METRICS_PORT and PORT the same')
  t.match(fourth.stderr(), /^hbaas-server cannot start: METRICS_PORT is "\d+" but must be a port number from 1 to 65535 other than PORT, or 0 for no metrics\n$/)
})

// The README promises Node.js 20 (package.json's engines); .ci/run runs the whole suite on it and
// sets REQUIRE_OLDEST_NODE, so that a CI machine with another Node.js fails rather than skips (the
// GitLab pipeline runs the suite on the image's Node.js 24). npm warns that cookie@2 wants
// Node.js 22: Fastify uses it only for inject(), which these tests run on 20.
const { engines } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'))
const oldestNode = Number(engines.node.match(/^>=(\d+)$/)[1])
const runningNode = Number(process.versions.node.split('.')[0])
t.test('the suite runs on the oldest Node.js that package.json promises', {
  skip: runningNode !== oldestNode && process.env.REQUIRE_OLDEST_NODE !== 'true' && `Node.js ${runningNode} here; run the suite on Node.js ${oldestNode} to prove it`
}, async t => {
  t.equal(runningNode, oldestNode, `Node.js ${process.version}`)
})
