import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/root'
import { DOCKER_BUILD_FLAGS, DOCKER_RUN_FLAGS, hasTool } from '../helpers/environment'
import { run } from '../helpers/processes'

// The benchmark's numbers are never asserted (they are ratios for people to read, and they vary
// from run to run); this checks that `npm run bench -- --quick` measures everything it promises
// and writes its report.
if (hasTool(t, 'sh', ['-c', 'command -v wrk'], 'the benchmark\'s load generator is wrk (apt install wrk)')) {
  t.test('a quick benchmark run reports every measure and a verdict for every target', async t => {
    const out = t.testdir()
    const { stdout } = await run('npm', ['run', 'bench', '--', '--quick', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, DOCKER_BUILD_FLAGS: DOCKER_BUILD_FLAGS.join(' '), DOCKER_RUN_FLAGS: DOCKER_RUN_FLAGS.join(' ') },
      maxBuffer: 16 * 1024 * 1024
    })
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'))
    t.match(results, {
      quick: true,
      machine: { cpus: Number, node: process.version, pinned: Boolean },
      load: { tool: 'wrk', path: '/date/25-December', connections: 50 },
      coldStartMs: { bare: Number, fastify: Number, warn: Number, warnWithoutMetrics: Number },
      people: { runs: 1, sizes: [10_000, 100_000, 1_000_000].map(rows => ({ rows, fileMiB: Number, startupSeconds: Number, rssMiB: Number })) }
    })
    const servers = ['bare', 'fastify', 'warn', 'warnWithoutMetrics', 'info', 'infoWithoutMetrics', ...(results.goPeer === 'measured' ? ['go'] : [])]
    t.same(Object.keys(results.servers), servers, `the servers measured (the Go server: ${results.goPeer})`)
    for (const server of servers) {
      t.match(results.servers[server], { cpuPerRequestUs: Number, requestsPerSecond: Number, p50Ms: Number, p99Ms: Number, rssMiB: Number, errors: 0 }, server)
      t.ok(results.servers[server].cpuPerRequestUs > 0, `${server}: it used CPU`)
    }
    const measures: string[] = results.targets.map((target: { measure: string }) => target.measure)
    t.equal(measures.length, results.image.error ? 9 : 10, results.image.error ?? 'the image was measured too')
    if (!results.image.error) t.match(results.image, { runToHealthySeconds: Number, runWithAMillionPeopleSeconds: Number }, 'and its start with a million people')
    t.ok(measures.includes('start-up with 1,000,000 people') && measures.includes('cold start vs the minimal Fastify app'), 'people files and the re-anchored cold start')
    for (const target of results.targets) t.type(target.met, 'boolean', target.measure)
    const markdown = await readFile(join(out, 'results.md'), 'utf8')
    t.match(markdown, '| server | CPU µs per request | vs bare |')
    t.match(markdown, /\nMetrics, on \(the default\) against off \(METRICS_PORT=0\): CPU per request \d+\.\d\d× at LOG_LEVEL=warn/, 'what the metrics cost')
    t.match(stdout, markdown, 'the report is printed too')
  })
}
