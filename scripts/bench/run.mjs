// The benchmark: `npm run bench` (or `task bench`); `npm run bench -- --quick` for a short run.
// It measures hbaas-server (at LOG_LEVEL=warn and info) beside bare node:http answering the same
// bytes (the limit), a minimal Fastify app and the Go/Echo server this project replaces, in one
// run: the server's CPU time per request (utime + stime from /proc, divided by the requests it
// served: the figure that stays steady on a shared machine), requests/s, p50/p99 latency, memory
// after load, and cold start. Servers are measured one at a time, in alternating rounds, each
// figure is the median of its rounds and a ratio to bare node:http; with two cores or more, the
// server and the load generator (wrk) are pinned to different ones. It measures start-up and memory
// with generated people files of 10,000 to 1,000,000 rows, and, with a Docker engine, the image
// (image.mjs). This file measures; report.mjs writes the report, into
// docs/benchmark/results.{json,md} (a quick run says so), or into --out DIR.
import { execFile } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { build } from 'esbuild'
import { bundleNodeFlags } from '../lib/docker.mjs'
import { request } from '../lib/http.mjs'
import { writePeopleFile } from '../lib/people-file.mjs'
import { cpuSeconds, rssBytes, startServerProcess } from '../lib/processes.mjs'
import { buildGoPeer } from './go-peer.mjs'
import { measureImage } from './image.mjs'
import { median, report, target } from './report.mjs'
import { parseWrk, wrkArgs } from './wrk.mjs'

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
const outDir = args.out ?? join(root, 'docs', 'benchmark')
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
await run(process.execPath, [join(root, 'scripts/build/cli.mjs'), '--outdir', join(work, 'dist')])
await build({ entryPoints: [join(here, 'minimal-fastify.mjs')], outfile: join(work, 'minimal-fastify.cjs'), bundle: true, platform: 'node', format: 'cjs', minify: true, logLevel: 'warning' })
const bundle = [...bundleNodeFlags(), join(work, 'dist/server.cjs')]
const goPeer = await buildGoPeer(goPeerDir, work)
const SERVERS = {
  bare: { label: 'bare node:http, the same bytes (the limit)', command: process.execPath, args: [join(here, 'bare-server.mjs')], env: { BODY_FILE: join(work, 'body.json') } },
  // Started with the service's own node flags, so that the cold start ratio is what the service's
  // code costs over the framework's: on Node.js 20 any V8 flag makes node refuse its code cache
  // for its built-in modules, about 24 ms of start-up for both (docs/performance.md).
  fastify: { label: 'a minimal Fastify 5 app, one route, logger at warn, bundled, the same node flags', command: process.execPath, args: [...bundleNodeFlags(), join(work, 'minimal-fastify.cjs')], env: { BODY_FILE: join(work, 'body.json') } },
  // As it runs by default, metrics on; and without them (METRICS_PORT=0), so that their cost is a figure of this run.
  warn: { label: 'hbaas-server, LOG_LEVEL=warn', command: process.execPath, args: bundle, env: { LOG_LEVEL: 'warn' } },
  warnWithoutMetrics: { label: 'hbaas-server, LOG_LEVEL=warn, METRICS_PORT=0 (no metrics)', command: process.execPath, args: bundle, env: { LOG_LEVEL: 'warn', METRICS_PORT: '0' } },
  info: { label: 'hbaas-server, LOG_LEVEL=info', command: process.execPath, args: bundle, env: { LOG_LEVEL: 'info' } },
  infoWithoutMetrics: { label: 'hbaas-server, LOG_LEVEL=info, METRICS_PORT=0 (no metrics)', command: process.execPath, args: bundle, env: { LOG_LEVEL: 'info', METRICS_PORT: '0' } },
  ...('binary' in goPeer && { go: { label: 'the Go/Echo server it replaces (GOMAXPROCS=1, no request log)', command: goPeer.binary, args: [], env: { GOMAXPROCS: '1', PEOPLE_CSV: join(root, 'src/data/people.csv') } } })
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
const coldStarts = Object.fromEntries(Object.keys(SERVERS).filter(name => !name.startsWith('info')).map(name => [name, []]))
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

// --- 3. your own people: start-up and memory with a generated PEOPLE_FILE of each size ----------
// Spawn to the first answer for a day (its people sorted on that request), and the RSS then.
const PEOPLE_ROWS = [10_000, 100_000, 1_000_000]
const PEOPLE_STARTS = args.quick ? 1 : 3
const people = []
for (const rows of PEOPLE_ROWS) {
  const file = join(work, `people-${rows}.csv`)
  await writePeopleFile(file, rows)
  say(`${rows} people (${(statSync(file).size / MiB).toFixed(1)} MiB): ${PEOPLE_STARTS} start(s)`)
  const starts = []
  for (let i = 0; i < PEOPLE_STARTS; i++) {
    const started = performance.now()
    const running = await start({ ...SERVERS.warn, env: { ...SERVERS.warn.env, PEOPLE_FILE: file } }, { pollMs: 5, readyPath: '/date/1-March' })
    starts.push({ seconds: (performance.now() - started) / 1000, rssMiB: rssBytes(running.child.pid) / MiB })
    await stop(running)
  }
  people.push({ rows, fileMiB: statSync(file).size / MiB, startupSeconds: median(starts.map(s => s.seconds)), rssMiB: median(starts.map(s => s.rssMiB)) })
  rmSync(file)
}
const peopleOf = (/** @type {number} */ rows) => /** @type {typeof people[number]} */ (people.find(row => row.rows === rows))

// --- 4. the image, when a Docker engine answers -----------------------------------------------
const image = await measureImage(work, say)

// --- the report --------------------------------------------------------------------------------
const bare = servers.bare
const targets = [
  target('CPU per request at LOG_LEVEL=warn vs bare node:http', servers.warn.cpuPerRequestUs / bare.cpuPerRequestUs, 1.25, '×'),
  target('CPU per request at LOG_LEVEL=info vs bare node:http', servers.info.cpuPerRequestUs / bare.cpuPerRequestUs, 1.6, '×'),
  target('cold start vs the minimal Fastify app', coldStartMs.warn / coldStartMs.fastify, 1.25, '×'),
  target('RSS after load at LOG_LEVEL=warn vs bare node:http', servers.warn.rssMiB / bare.rssMiB, 1.3, '×'),
  target('start-up with 100,000 people', peopleOf(100_000).startupSeconds, 0.6, ' s'),
  target('RSS after start with 100,000 people', peopleOf(100_000).rssMiB, 120, ' MiB'),
  target('start-up with 1,000,000 people', peopleOf(1_000_000).startupSeconds, 3, ' s'),
  target('RSS after start with 1,000,000 people', peopleOf(1_000_000).rssMiB, 300, ' MiB'),
  target('bundle size', statSync(join(work, 'dist/server.cjs')).size / MiB, 1, ' MiB'),
  ...('error' in image ? [] : [target('image size added to the base', image.addedMiB, 5, ' MiB')])
]
const results = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  quick: args.quick,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model.trim(), memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version, pinned },
  load: { ...LOAD, version: (await run('sh', ['-c', 'wrk --version || true'])).stdout.match(/^wrk (\S+)/)?.[1] },
  goPeer: 'binary' in goPeer ? 'measured' : goPeer.reason,
  servers,
  coldStartMs: { ...coldStartMs, runs: COLD_STARTS },
  people: { runs: PEOPLE_STARTS, sizes: people },
  image,
  targets
}
mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
const markdown = report(results)
writeFileSync(join(outDir, 'results.md'), markdown)
console.log(`\n${markdown}`)

// --- helpers ---------------------------------------------------------------------------------
function say (message) {
  console.error(`bench: ${message}`)
}

// Starts a server on the first core and waits for its first 200. Its log goes to a file, as a
// container's does, so that a log line costs what it costs in production.
async function start (server, { pollMs = 20, readyPath = '/version' } = {}) {
  const [command, commandArgs] = onCore(0, server.command, server.args)
  const log = openSync(join(work, 'server.log'), 'a')
  const running = await startServerProcess({ command, args: commandArgs, env: server.env, stdio: ['ignore', log, 'inherit'], readyPath, pollMs })
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
  const [command, commandArgs] = onCore(1, 'wrk', wrkArgs(LOAD, `http://127.0.0.1:${port}${LOAD.path}`, seconds))
  return parseWrk((await run(command, commandArgs)).stdout)
}
