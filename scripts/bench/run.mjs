// The benchmark: `npm run bench` (or `task bench`), `npm run bench -- --quick` for a short run.
// It measures hbaas-server against the bare-Node limit and Express 5 in one run, and reports every
// figure as a ratio to a reference measured in the same run, so that a noisy 2-core machine still
// gives comparable numbers. It writes results/latest.{json,md} (a quick run says so in them) and,
// after a full run, the table in README.md. --out DIR writes elsewhere and leaves README alone.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFileSync, cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { createServer } from 'node:net'
import { cpus, tmpdir, totalmem, release } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }
})
const run = promisify(execFile)

const LOAD = {
  tool: 'autocannon',
  version: JSON.parse(readFileSync(join(root, 'node_modules/autocannon/package.json'), 'utf8')).version,
  path: '/date/25-December',
  connections: 50,
  pipelining: 1,
  ...(args.quick ? { warmupSeconds: 1, seconds: 2, rounds: 1 } : { warmupSeconds: 3, seconds: 10, rounds: 2 })
}
const COLD_STARTS = args.quick ? 5 : 20
const MiB = 1024 * 1024
const outDir = args.out ?? join(here, 'results')

const work = mkdtempSync(join(tmpdir(), 'hbaas-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

// --- the servers ------------------------------------------------------------------------------
say('building the bundle and the reference servers')
await run(process.execPath, [join(root, 'scripts/build.mjs'), '--outdir', join(work, 'dist')])
await build({
  entryPoints: [join(here, 'express-server.ts')],
  outfile: join(work, 'express.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning'
})
const bundle = ['--enable-source-maps', join(work, 'dist/server.cjs')]
const SERVERS = {
  info: { label: 'hbaas-server, LOG_LEVEL=info', args: bundle, env: { LOG_LEVEL: 'info' } },
  warn: { label: 'hbaas-server, LOG_LEVEL=warn', args: bundle, env: { LOG_LEVEL: 'warn' } },
  bare: { label: 'bare node:http (the limit)', args: [join(here, 'bare-server.mjs')], env: { BODY_FILE: join(work, 'body.json') } },
  express: { label: 'Express 5', args: [join(work, 'express.cjs')], env: { PEOPLE_FILE: join(root, 'src/data/people.csv') } }
}

// The bare server answers with the bundle's own bytes for the benchmarked URL.
{
  const server = await start(SERVERS.warn)
  writeFileSync(join(work, 'body.json'), (await request(server.port, LOAD.path)).body)
  await stop(server)
}
const sameBody = {}
for (const [name, server] of Object.entries(SERVERS)) {
  const running = await start(server)
  sameBody[name] = (await request(running.port, LOAD.path)).body === readFileSync(join(work, 'body.json'), 'utf8')
  await stop(running)
}

// --- 1. throughput and latency, 3. memory: servers one at a time, in alternation ---------------
const rounds = Object.fromEntries(Object.keys(SERVERS).map(name => [name, []]))
for (let round = 1; round <= LOAD.rounds; round++) {
  for (const [name, server] of Object.entries(SERVERS)) {
    say(`round ${round}/${LOAD.rounds}: ${server.label}`)
    const running = await start(server)
    await autocannon(running.port, LOAD.warmupSeconds)
    const result = await autocannon(running.port, LOAD.seconds)
    rounds[name].push({
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      rssMiB: rssOf(running.child.pid) / MiB
    })
    await stop(running)
  }
}
const throughput = Object.fromEntries(Object.entries(rounds).map(([name, results]) => [name, {
  server: SERVERS[name].label,
  sameBody: sameBody[name],
  requestsPerSecond: median(results.map(r => r.requestsPerSecond)),
  p50Ms: median(results.map(r => r.p50)),
  p99Ms: median(results.map(r => r.p99)),
  errors: results.reduce((sum, r) => sum + r.errors, 0),
  rssMiB: median(results.map(r => r.rssMiB))
}]))

// --- 2. cold start: spawn to the first 200 on /version, in alternation --------------------------
const coldStarts = { warn: [], bare: [] }
for (let i = 0; i < COLD_STARTS; i++) {
  for (const name of Object.keys(coldStarts)) {
    const started = performance.now()
    const running = await start(SERVERS[name], { pollMs: 1 })
    coldStarts[name].push(performance.now() - started)
    await stop(running)
  }
}
say(`cold starts: ${COLD_STARTS} each`)
const coldStartMs = { bundle: median(coldStarts.warn), bare: median(coldStarts.bare) }

// --- 4. the image, when a Docker engine answers --------------------------------------------------
const image = await measureImage()

// --- the report ------------------------------------------------------------------------------
const ratio = (a, b) => a / b
const targets = [
  target('/date at LOG_LEVEL=warn vs bare node:http (requests/s)', ratio(throughput.warn.requestsPerSecond, throughput.bare.requestsPerSecond), '≥', 0.90, '×'),
  target('/date at LOG_LEVEL=info vs bare node:http (requests/s)', ratio(throughput.info.requestsPerSecond, throughput.bare.requestsPerSecond), '≥', 0.70, '×'),
  target('/date at LOG_LEVEL=info vs Express 5 (requests/s)', ratio(throughput.info.requestsPerSecond, throughput.express.requestsPerSecond), '≥', 2, '×'),
  target(`p99 latency at ${LOAD.connections} connections, LOG_LEVEL=info`, throughput.info.p99Ms, '≤', 5, ' ms'),
  target('cold start vs bare node:http', ratio(coldStartMs.bundle, coldStartMs.bare), '≤', 1.5, '×'),
  target('RSS after load vs bare node:http (LOG_LEVEL=info)', ratio(throughput.info.rssMiB, throughput.bare.rssMiB), '≤', 1.5, '×'),
  ...(image.error
    ? []
    : [
        target('image size added to the base', image.addedMiB, '≤', 5, ' MiB'),
        target('rebuild after touching one src/ file', image.rebuildSeconds, '≤', 10, ' s')
      ])
]
const results = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  quick: args.quick,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 1024 ** 3), kernel: release(), node: process.version },
  load: LOAD,
  throughput,
  coldStartMs: { ...coldStartMs, runs: COLD_STARTS },
  image,
  targets
}
mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
const markdown = report(results)
writeFileSync(join(outDir, 'latest.md'), markdown)
if (!args.quick && !args.out) updateReadme(markdown)
console.log(`\n${markdown}`)

// --- helpers ---------------------------------------------------------------------------------
function say (message) {
  console.error(`bench: ${message}`)
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function target (measure, value, comparison, wanted, unit) {
  const met = comparison === '≥' ? value >= wanted : value <= wanted
  return { measure, value: Number(value.toFixed(2)), target: `${comparison} ${wanted}${unit}`, unit, met }
}

async function freePort () {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  return port
}

function request (port, path) {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, response => {
      let body = ''
      response.setEncoding('utf8').on('data', chunk => { body += chunk }).on('end', () => resolve({ status: response.statusCode, body }))
    }).on('error', reject)
  })
}

// Spawns a server (its stdout to a log file, as in production) and waits for its first 200.
async function start (server, { pollMs = 20 } = {}) {
  const port = await freePort()
  const log = createWriteStream(join(work, 'server.log'), { flags: 'a' })
  await once(log, 'open')
  const child = spawn(process.execPath, server.args, {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...server.env },
    stdio: ['ignore', log, 'inherit']
  })
  const exited = once(child, 'exit')
  for (;;) {
    const answer = await Promise.race([request(port, '/version').catch(() => undefined), exited.then(() => 'exited')])
    if (answer === 'exited') throw new Error(`${server.label} exited before serving`)
    if (answer?.status === 200) return { child, port, exited, log }
    await sleep(pollMs)
  }
}

async function stop ({ child, exited, log }) {
  child.kill('SIGTERM')
  await exited
  log.close()
}

// The load generator runs in its own process, so that it does not share the server's event loop.
async function autocannon (port, seconds) {
  const { stdout } = await run(process.execPath, [
    join(root, 'node_modules/autocannon/autocannon.js'), '--json',
    '--connections', String(LOAD.connections), '--pipelining', String(LOAD.pipelining), '--duration', String(seconds),
    `http://127.0.0.1:${port}${LOAD.path}`
  ], { maxBuffer: 64 * MiB })
  return JSON.parse(stdout)
}

function rssOf (pid) {
  const kilobytes = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)[1]
  return Number(kilobytes) * 1024
}

async function docker (...dockerArgs) {
  return run('docker', dockerArgs, { maxBuffer: 64 * MiB })
}

// Extra flags from the environment, as for `task build-image`: machines without a bridge network
// need DOCKER_BUILD_FLAGS=--network host and DOCKER_RUN_FLAGS=--network host.
function flags (name) {
  return (process.env[name] ?? '').split(/\s+/).filter(Boolean)
}

async function measureImage () {
  try {
    await docker('info')
  } catch {
    say('no Docker engine: skipping the image measures')
    return { error: 'no Docker engine' }
  }
  // An image name of the benchmark's own, removed at the end: never the user's hbaas-server.
  const tag = `hbaas-bench-${process.pid}:latest`
  try {
    const context = join(work, 'context')
    for (const path of ['Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'src']) {
      cpSync(join(root, path), join(context, path), { recursive: true })
    }
    const buildImage = async () => {
      const started = performance.now()
      await docker('build', ...flags('DOCKER_BUILD_FLAGS'), '--label', `hbaas-bench=${process.pid}`, '--tag', tag, context)
      return (performance.now() - started) / 1000
    }
    say('image: first build')
    await buildImage()
    appendFileSync(join(context, 'src/routes/root.ts'), `// touched by the benchmark at ${Date.now()}\n`)
    say('image: rebuild after touching one src/ file')
    const rebuildSeconds = await buildImage()
    const runnerImage = readFileSync(join(root, 'Dockerfile'), 'utf8').match(/^ARG RUNNER_IMAGE=(\S+)/m)[1]
    const size = async name => Number((await docker('image', 'inspect', '--format', '{{.Size}}', name)).stdout)
    const [imageBytes, baseBytes] = [await size(tag), await size(runnerImage)]

    say('image: docker run to first answer and to healthy')
    const port = await freePort()
    const started = performance.now()
    const id = (await docker('run', '--detach', ...flags('DOCKER_RUN_FLAGS'), '--publish', `${port}:${port}`, '--env', `PORT=${port}`, tag)).stdout.trim()
    let firstAnswerSeconds
    let healthySeconds
    while (healthySeconds === undefined && performance.now() - started < 60_000) {
      if (firstAnswerSeconds === undefined && (await request(port, '/healthz').catch(() => undefined))?.status === 200) {
        firstAnswerSeconds = (performance.now() - started) / 1000
      }
      if ((await docker('inspect', '--format', '{{.State.Health.Status}}', id)).stdout.trim() === 'healthy') {
        healthySeconds = (performance.now() - started) / 1000
      }
      await sleep(100)
    }
    await docker('rm', '--force', id)
    return {
      imageMiB: imageBytes / MiB,
      baseImage: runnerImage,
      addedMiB: (imageBytes - baseBytes) / MiB,
      rebuildSeconds,
      runToFirstAnswerSeconds: firstAnswerSeconds,
      runToHealthySeconds: healthySeconds
    }
  } catch (error) {
    say(`image measures failed: ${error.message.split('\n')[0]}`)
    return { error: error.message.split('\n')[0] }
  } finally {
    // The rebuild left the first build untagged: both go.
    const { stdout } = await docker('image', 'ls', '--quiet', '--filter', `label=hbaas-bench=${process.pid}`)
    const ids = [...new Set(stdout.split('\n').filter(Boolean))]
    if (ids.length) await docker('image', 'rm', '--force', ...ids)
  }
}

function report ({ date, quick, machine, load, throughput, coldStartMs, image, targets }) {
  const fixed = (value, digits = 1) => value === undefined ? 'n/a' : value.toFixed(digits)
  const bare = throughput.bare.requestsPerSecond
  const lines = [
    `Measured ${date}${quick ? ' (quick run)' : ''} on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node.js ${machine.node}.`,
    `Load: ${load.tool} ${load.version}, GET ${load.path}, ${load.connections} connections, ${load.warmupSeconds} s warm-up then ${load.seconds} s, ` +
    `${load.rounds} round(s) per server in alternation; the generator shares the machine with the server.`,
    '',
    '| server | requests/s | vs bare | p50 ms | p99 ms | errors | RSS after load MiB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...Object.values(throughput).map(row =>
      `| ${row.server}${row.sameBody ? '' : ' (different body)'} | ${fixed(row.requestsPerSecond, 0)} | ${fixed(row.requestsPerSecond / bare, 2)}× | ${row.p50Ms} | ${row.p99Ms} | ${row.errors} | ${fixed(row.rssMiB)} |`),
    '',
    `Cold start (spawn to the first 200 on /version, median of ${coldStartMs.runs}): bundle ${fixed(coldStartMs.bundle, 0)} ms, bare node:http ${fixed(coldStartMs.bare, 0)} ms.`,
    image.error
      ? `Image: not measured (${image.error}).`
      : `Image: ${fixed(image.imageMiB)} MiB, ${fixed(image.addedMiB, 2)} MiB on top of ${image.baseImage}; rebuild after touching one src/ file ${fixed(image.rebuildSeconds)} s; ` +
        `docker run to the first answer ${fixed(image.runToFirstAnswerSeconds)} s, to healthy ${fixed(image.runToHealthySeconds)} s (the health check runs every 10 s).`,
    '',
    '| target | measured | wanted | |',
    '|---|---:|---:|---|',
    ...targets.map(({ measure, value, unit, target: wanted, met }) => `| ${measure} | ${value}${unit} | ${wanted} | ${met ? 'met' : '**missed**'} |`)
  ]
  return `${lines.join('\n')}\n`
}

function updateReadme (markdown) {
  const readme = join(root, 'README.md')
  const text = readFileSync(readme, 'utf8')
  const start = '<!-- bench:start -->'
  const end = '<!-- bench:end -->'
  if (!text.includes(start)) return
  writeFileSync(readme, `${text.slice(0, text.indexOf(start) + start.length)}\n${markdown}${text.slice(text.indexOf(end))}`)
}
