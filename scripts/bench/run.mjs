// The benchmark: `npm run bench` (or `task bench`); `npm run bench -- --quick` for a short run.
// It measures hbaas-server (at LOG_LEVEL=warn and info, with metrics and without) beside bare
// node:http answering the same bytes (the limit), a minimal Fastify app and the Go/Echo server this
// project replaces, in one run: the server's CPU time per request (utime + stime from /proc,
// divided by the requests it served: the figure that stays steady on a shared machine), requests/s,
// p50/p99 latency and memory after load, each server in pairs with bare node:http (load.mjs); cold
// start; start-up and memory with generated people files (people.mjs); and, with a Docker engine,
// the image (image.mjs). With two cores or more, the servers and the load generator (wrk) are
// pinned to different ones. This file runs them; report.mjs writes the report, into
// docs/benchmark/results.{json,md} (a quick run says so), or into --out DIR.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { build } from 'esbuild'
import { request } from '../lib/http.mjs'
import { buildGoPeer } from './go-peer.mjs'
import { measureImage } from './image.mjs'
import { coldStarts, pairedRounds } from './load.mjs'
import { peopleFiles } from './people.mjs'
import { report, target } from './report.mjs'
import { benchServers, serverStarter } from './servers.mjs'
import { parseWrk, wrkArgs } from './wrk.mjs'

const here = import.meta.dirname
const root = join(here, '..', '..')
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } })
const run = promisify(execFile)
const MiB = 1024 * 1024
const say = (/** @type {string} */ message) => console.error(`bench: ${message}`)

const LOAD = {
  tool: 'wrk',
  path: '/date/25-December',
  threads: 1,
  connections: 50,
  ...(args.quick ? { warmupSeconds: 1, seconds: 2, rounds: 1 } : { warmupSeconds: 3, seconds: 8, rounds: 5 })
}
const COLD_STARTS = args.quick ? 3 : 15
const PEOPLE_STARTS = args.quick ? 1 : 3
const outDir = args.out ?? join(root, 'docs', 'benchmark')
// The Go server this project replaces (see its README); GO_PEER_DIR points elsewhere.
const goPeerDir = resolve(root, process.env.GO_PEER_DIR ?? '../shared/peers/go-echo')

const work = mkdtempSync(join(tmpdir(), 'hbaas-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

await run('sh', ['-c', 'command -v wrk']).catch(() => {
  throw new Error('the benchmark needs wrk as its load generator: apt install wrk, or brew install wrk')
})
// The servers on one core, wrk on another: they do not compete, and the servers' CPU time is their own.
const pinned = cpus().length >= 2 && await run('sh', ['-c', 'command -v taskset']).then(() => true, () => false)
/** @type {(core: number, command: string, commandArgs: string[]) => [string, string[]]} */
const onCore = (core, command, commandArgs) => pinned ? ['taskset', ['-c', String(core), command, ...commandArgs]] : [command, commandArgs]
/** wrk on the second core: requests/s, latency percentiles and the number of requests served. @param {number} port @param {number} seconds */
const wrk = async (port, seconds) => parseWrk((await run(...onCore(1, 'wrk', wrkArgs(LOAD, `http://127.0.0.1:${port}${LOAD.path}`, seconds)))).stdout)

say('building the bundle, the minimal Fastify app\'s bundle, and the Go server if Go is here')
await run(process.execPath, [join(root, 'scripts/build/cli.mjs'), '--outdir', join(work, 'dist')])
await build({ entryPoints: [join(here, 'minimal-fastify.mjs')], outfile: join(work, 'minimal-fastify.cjs'), bundle: true, platform: 'node', format: 'cjs', minify: true, logLevel: 'warning' })
const goPeer = await buildGoPeer(goPeerDir, work)
const SERVERS = benchServers({ root, here, work, goPeer })
const starter = serverStarter(work, onCore)

// bare node:http and the minimal Fastify app answer with hbaas-server's own bytes for the URL.
{
  const server = await starter.start(SERVERS.warn)
  writeFileSync(join(work, 'body.json'), (await request(server.port, LOAD.path)).body)
  await starter.stop(server)
}

const servers = await pairedRounds({ servers: SERVERS, rounds: LOAD.rounds, warmupSeconds: LOAD.warmupSeconds, seconds: LOAD.seconds, starter, wrk, say })
say(`cold starts: ${COLD_STARTS} each`)
// Logging at info changes nothing at start-up: those are left out.
const coldStartMs = await coldStarts({ servers: Object.fromEntries(Object.entries(SERVERS).filter(([name]) => !name.startsWith('info'))), runs: COLD_STARTS, starter })
const people = await peopleFiles({ server: SERVERS.warn, rows: [10_000, 100_000, 1_000_000], starts: PEOPLE_STARTS, work, starter, say })
const peopleOf = (/** @type {number} */ rows) => /** @type {typeof people[number]} */ (people.find(row => row.rows === rows))
const image = await measureImage(work, say)

const targets = [
  target('CPU per request at LOG_LEVEL=warn vs bare node:http', servers.warn.vsBare, 1.3, '×'),
  target('CPU per request at LOG_LEVEL=info vs bare node:http', servers.info.vsBare, 1.7, '×'),
  target('cold start vs the minimal Fastify app', coldStartMs.warn / coldStartMs.fastify, 1.25, '×'),
  target('RSS after load at LOG_LEVEL=warn vs bare node:http', servers.warn.rssVsBare, 1.3, '×'),
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
