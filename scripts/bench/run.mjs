// The benchmark: `npm run bench` (or `task bench`); `npm run bench -- --quick` for a short run.
// It measures hbaas-server (at LOG_LEVEL=warn and info) beside bare node:http answering the same
// bytes (the limit), a minimal Fastify app and the Go/Echo server this project replaces, in one
// run: the server's CPU time per request (utime + stime from /proc, divided by the requests it
// served: the figure that stays steady on a shared machine), requests/s, p50/p99 latency, memory
// after load, and cold start. Servers are measured one at a time, in alternating rounds, each
// figure is the median of its rounds and a ratio to bare node:http; with two cores or more, the
// server and the load generator (wrk) are pinned to different ones. With a Docker engine it also
// measures the image. It writes results/latest.{json,md} (a quick run says so) and, after a full
// run, the table in README.md; --out DIR writes elsewhere and leaves the README alone.
import { execFile } from 'node:child_process'
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { build } from 'esbuild'
import { bundleNodeFlags, copyBuildContext, dockerFlags, dockerfileArg } from '../lib/docker.cjs'
import { cpuSeconds, freePort, request, rssBytes, startServerProcess } from '../lib/processes.cjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } })
const run = promisify(execFile)
const MiB = 1024 * 1024

const LOAD = {
  tool: 'wrk',
  path: '/date/25-December',
  threads: 1,
  connections: 50,
  ...(args.quick ? { warmupSeconds: 1, seconds: 2, rounds: 1 } : { warmupSeconds: 3, seconds: 8, rounds: 5 })
}
const COLD_STARTS = args.quick ? 3 : 15
const outDir = args.out ?? join(here, 'results')
// The Go server this project replaces (see its README); GO_PEER_DIR points elsewhere.
const goPeerDir = resolve(root, process.env.GO_PEER_DIR ?? '../shared/peers/go-echo')

const work = mkdtempSync(join(tmpdir(), 'hbaas-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

await run('sh', ['-c', 'command -v wrk']).catch(() => {
  throw new Error('the benchmark needs wrk as its load generator: apt install wrk, or brew install wrk')
})
// The server on one core, wrk on another: they do not compete, and the server's CPU time is its own.
const pinned = cpus().length >= 2 && await run('sh', ['-c', 'command -v taskset']).then(() => true, () => false)
const onCore = (core, command, commandArgs) => pinned ? ['taskset', ['-c', String(core), command, ...commandArgs]] : [command, commandArgs]

// --- the servers ------------------------------------------------------------------------------
say('building the bundle, the minimal Fastify app\'s bundle, and the Go server if Go is here')
await run(process.execPath, [join(root, 'scripts/build.mjs'), '--outdir', join(work, 'dist')])
await build({ entryPoints: [join(here, 'minimal-fastify.cjs')], outfile: join(work, 'minimal-fastify.cjs'), bundle: true, platform: 'node', format: 'cjs', minify: true, logLevel: 'warning' })
const bundle = [...bundleNodeFlags(), join(work, 'dist/server.cjs')]
const goPeer = await buildGoPeer()
const SERVERS = {
  bare: { label: 'bare node:http, the same bytes (the limit)', command: process.execPath, args: [join(here, 'bare-server.mjs')], env: { BODY_FILE: join(work, 'body.json') } },
  fastify: { label: 'a minimal Fastify 5 app, one route, logger at warn, bundled', command: process.execPath, args: [join(work, 'minimal-fastify.cjs')], env: { BODY_FILE: join(work, 'body.json') } },
  warn: { label: 'hbaas-server, LOG_LEVEL=warn', command: process.execPath, args: bundle, env: { LOG_LEVEL: 'warn' } },
  info: { label: 'hbaas-server, LOG_LEVEL=info', command: process.execPath, args: bundle, env: { LOG_LEVEL: 'info' } },
  ...(goPeer.binary && { go: { label: 'the Go/Echo server it replaces (GOMAXPROCS=1, no request log)', command: goPeer.binary, args: [], env: { GOMAXPROCS: '1', PEOPLE_CSV: join(root, 'src/data/people.csv') } } })
}

// bare node:http and the minimal Fastify app answer with hbaas-server's own bytes for the URL.
{
  const server = await start(SERVERS.warn)
  writeFileSync(join(work, 'body.json'), (await request(server.port, LOAD.path)).body)
  await stop(server)
}

// --- 1. CPU per request, throughput, latency and memory: one server at a time, in alternation --
const rounds = Object.fromEntries(Object.keys(SERVERS).map(name => [name, []]))
for (let round = 1; round <= LOAD.rounds; round++) {
  for (const [name, server] of Object.entries(SERVERS)) {
    say(`round ${round}/${LOAD.rounds}: ${server.label}`)
    const running = await start(server)
    await wrk(running.port, LOAD.warmupSeconds)
    const cpuBefore = cpuSeconds(running.child.pid)
    const result = await wrk(running.port, LOAD.seconds)
    const cpu = cpuSeconds(running.child.pid) - cpuBefore
    rounds[name].push({ ...result, cpuPerRequestUs: cpu / result.requests * 1e6, rssMiB: rssBytes(running.child.pid) / MiB })
    await stop(running)
  }
}
const servers = Object.fromEntries(Object.entries(rounds).map(([name, results]) => [name, {
  server: SERVERS[name].label,
  cpuPerRequestUs: median(results.map(r => r.cpuPerRequestUs)),
  requestsPerSecond: median(results.map(r => r.requestsPerSecond)),
  p50Ms: median(results.map(r => r.p50Ms)),
  p99Ms: median(results.map(r => r.p99Ms)),
  errors: results.reduce((sum, r) => sum + r.errors, 0),
  rssMiB: median(results.map(r => r.rssMiB))
}]))

// --- 2. cold start: spawn to the first 200 on /version, in alternation ----------------------------
const coldStarts = Object.fromEntries(Object.keys(SERVERS).filter(name => name !== 'info').map(name => [name, []]))
for (let i = 0; i < COLD_STARTS; i++) {
  for (const name of Object.keys(coldStarts)) {
    const started = performance.now()
    const running = await start(SERVERS[name], { pollMs: 1 })
    coldStarts[name].push(performance.now() - started)
    await stop(running)
  }
}
say(`cold starts: ${COLD_STARTS} each`)
const coldStartMs = Object.fromEntries(Object.entries(coldStarts).map(([name, times]) => [name, median(times)]))

// --- 3. the image, when a Docker engine answers -----------------------------------------------
const image = await measureImage()

// --- the report --------------------------------------------------------------------------------
const bare = servers.bare
const targets = [
  target('CPU per request at LOG_LEVEL=warn vs bare node:http', servers.warn.cpuPerRequestUs / bare.cpuPerRequestUs, '≤', 1.25, '×'),
  target('CPU per request at LOG_LEVEL=info vs bare node:http', servers.info.cpuPerRequestUs / bare.cpuPerRequestUs, '≤', 1.6, '×'),
  target('cold start vs bare node:http', coldStartMs.warn / coldStartMs.bare, '≤', 2, '×'),
  target('RSS after load at LOG_LEVEL=warn vs bare node:http', servers.warn.rssMiB / bare.rssMiB, '≤', 1.3, '×'),
  target('bundle size', statSync(join(work, 'dist/server.cjs')).size / MiB, '≤', 1, ' MiB'),
  ...(image.error ? [] : [target('image size added to the base', image.addedMiB, '≤', 5, ' MiB')])
]
const results = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  quick: args.quick,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model.trim(), memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version, pinned },
  load: { ...LOAD, version: (await run('sh', ['-c', 'wrk --version || true'])).stdout.match(/^wrk (\S+)/)?.[1] },
  goPeer: goPeer.binary ? 'measured' : goPeer.reason,
  servers,
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

// Rounded up, so that a missed target never reads as equal to it (1.604 is 1.61, not 1.6).
function target (measure, value, comparison, wanted, unit) {
  return { measure, value: Math.ceil(value * 100) / 100, target: `${comparison} ${wanted}${unit}`, unit, met: value <= wanted }
}

async function buildGoPeer () {
  if (!await run('go', ['version']).then(() => true, () => false)) return { reason: 'Go is not on this machine' }
  try {
    await run('go', ['build', '-o', join(work, 'go-peer'), '.'], { cwd: goPeerDir })
    return { binary: join(work, 'go-peer') }
  } catch (error) {
    return { reason: `its build failed in ${goPeerDir}: ${error.message.split('\n')[0]}` }
  }
}

// Starts a server on the first core and waits for its first 200. Its log goes to a file, as a
// container's does, so that a log line costs what it costs in production.
async function start (server, { pollMs = 20 } = {}) {
  const [command, commandArgs] = onCore(0, server.command, server.args)
  const log = openSync(join(work, 'server.log'), 'a')
  const running = await startServerProcess({ command, args: commandArgs, env: server.env, stdio: ['ignore', log, 'inherit'], readyPath: '/version', pollMs })
  closeSync(log)
  if (running.child.exitCode !== null) throw new Error(`${server.label} exited before serving`)
  return running
}

async function stop ({ child, exited }) {
  child.kill('SIGTERM')
  await exited
}

// wrk on the second core: requests/s, latency percentiles and the number of requests served.
async function wrk (port, seconds) {
  const [command, commandArgs] = onCore(1, 'wrk', ['--threads', String(LOAD.threads), '--connections', String(LOAD.connections),
    '--duration', `${seconds}s`, '--latency', `http://127.0.0.1:${port}${LOAD.path}`])
  const { stdout } = await run(command, commandArgs)
  const milliseconds = percentile => {
    const [, value, unit] = stdout.match(new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s)$`, 'm'))
    return Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit]
  }
  const errors = [...stdout.matchAll(/(?:connect|read|write|timeout) (\d+)/g), ...stdout.matchAll(/Non-2xx or 3xx responses: (\d+)/g)]
  return {
    requests: Number(stdout.match(/^\s+(\d+) requests in/m)[1]),
    requestsPerSecond: Number(stdout.match(/^Requests\/sec:\s+([\d.]+)/m)[1]),
    p50Ms: milliseconds(50),
    p99Ms: milliseconds(99),
    errors: errors.reduce((sum, [, count]) => sum + Number(count), 0)
  }
}

async function docker (...dockerArgs) {
  return run('docker', dockerArgs, { maxBuffer: 64 * MiB })
}

async function measureImage () {
  if (!await docker('info').then(() => true, () => false)) {
    say('no Docker engine: skipping the image measures')
    return { error: 'no Docker engine' }
  }
  // An image name of the benchmark's own, removed at the end: never the user's hbaas-server.
  const tag = `hbaas-bench-${process.pid}:latest`
  const label = `hbaas-bench=${process.pid}`
  try {
    const context = join(work, 'context')
    copyBuildContext(context)
    const buildImage = async () => {
      const started = performance.now()
      await docker('build', ...dockerFlags('DOCKER_BUILD_FLAGS'), '--label', label, '--tag', tag, context)
      return (performance.now() - started) / 1000
    }
    say('image: first build')
    await buildImage()
    appendFileSync(join(context, 'src/routes/root.ts'), `// touched by the benchmark at ${Date.now()}\n`)
    say('image: rebuild after touching one src/ file')
    const rebuildSeconds = await buildImage()
    const baseImage = dockerfileArg('RUNNER_IMAGE')
    const size = async name => Number((await docker('image', 'inspect', '--format', '{{.Size}}', name)).stdout)
    const [imageBytes, baseBytes] = [await size(tag), await size(baseImage)]

    say('image: docker run to the first answer and to healthy')
    const port = await freePort()
    const started = performance.now()
    const id = (await docker('run', '--detach', ...dockerFlags('DOCKER_RUN_FLAGS'), '--publish', `${port}:${port}`, '--env', `PORT=${port}`, tag)).stdout.trim()
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
    return { imageMiB: imageBytes / MiB, baseImage, addedMiB: (imageBytes - baseBytes) / MiB, rebuildSeconds, runToFirstAnswerSeconds: firstAnswerSeconds, runToHealthySeconds: healthySeconds }
  } catch (error) {
    say(`image measures failed: ${error.message.split('\n')[0]}`)
    return { error: error.message.split('\n')[0] }
  } finally {
    // The rebuild left the first build untagged: both go.
    const { stdout } = await docker('image', 'ls', '--quiet', '--filter', `label=${label}`)
    const ids = [...new Set(stdout.split('\n').filter(Boolean))]
    if (ids.length) await docker('image', 'rm', '--force', ...ids)
  }
}

function report ({ date, quick, machine, load, goPeer, servers, coldStartMs, image, targets }) {
  const fixed = (value, digits = 1) => value === undefined ? 'n/a' : value.toFixed(digits)
  const { bare } = servers
  const lines = [
    `Measured ${date}${quick ? ' (quick run)' : ''} on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node.js ${machine.node}.`,
    `Load: ${load.tool} ${load.version ?? ''}, GET ${load.path}, ${load.threads} thread, ${load.connections} connections, ${load.warmupSeconds} s warm-up then ${load.seconds} s, ` +
    `${load.rounds} round(s) per server in alternation; ${machine.pinned ? 'server on core 0, wrk on core 1 (taskset)' : 'server and wrk not pinned (one core, or no taskset)'}.` +
    (goPeer === 'measured' ? '' : ` The Go server is not measured: ${goPeer}.`),
    '',
    '| server | CPU µs per request | vs bare | requests/s | p50 ms | p99 ms | errors | RSS after load MiB | vs bare |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...Object.values(servers).map(row => `| ${row.server} | ${fixed(row.cpuPerRequestUs)} | ${fixed(row.cpuPerRequestUs / bare.cpuPerRequestUs, 2)}× | ` +
      `${fixed(row.requestsPerSecond, 0)} | ${fixed(row.p50Ms, 2)} | ${fixed(row.p99Ms, 2)} | ${row.errors} | ${fixed(row.rssMiB)} | ${fixed(row.rssMiB / bare.rssMiB, 2)}× |`),
    '',
    `Cold start, spawn to the first 200 on /version (median of ${coldStartMs.runs}): ` +
      Object.entries(coldStartMs).filter(([name]) => name !== 'runs').map(([name, ms]) => `${servers[name].server} ${fixed(ms, 0)} ms`).join('; ') + '.',
    image.error
      ? `Image: not measured (${image.error}).`
      : `Image: ${fixed(image.imageMiB)} MiB, ${fixed(image.addedMiB, 2)} MiB on top of ${image.baseImage}; rebuild after touching one src/ file ${fixed(image.rebuildSeconds)} s; ` +
        `docker run to the first answer ${fixed(image.runToFirstAnswerSeconds)} s, to healthy ${fixed(image.runToHealthySeconds)} s.`,
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
  const startMarker = '<!-- bench:start -->'
  const endMarker = '<!-- bench:end -->'
  if (!text.includes(startMarker)) return
  writeFileSync(readme, `${text.slice(0, text.indexOf(startMarker) + startMarker.length)}\n${markdown}${text.slice(text.indexOf(endMarker))}`)
}
