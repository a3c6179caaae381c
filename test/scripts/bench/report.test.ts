import t from 'tap'
import { median, report, target, type Results } from '../../../scripts/bench/report.mjs'

t.test('the median of an odd and of an even number of values, in any order', async t => {
  t.equal(median([3, 1, 2]), 2)
  t.equal(median([4, 1, 3, 2]), 2.5)
})

t.test('a target is rounded up, so that a missed one never reads as equal to it', async t => {
  t.same(target('CPU', 1.604, 1.6, '×'), { measure: 'CPU', value: 1.61, target: '≤ 1.6×', unit: '×', met: false })
  t.same(target('bundle size', 0.6, 1, ' MiB'), { measure: 'bundle size', value: 0.6, target: '≤ 1 MiB', unit: ' MiB', met: true })
})

const server = (name: string, cpuPerRequestUs: number, rssMiB: number) =>
  ({ server: name, cpuPerRequestUs, vsBare: cpuPerRequestUs / 10, requestsPerSecond: 50000.4, p50Ms: 0.712, p99Ms: 2.5, errors: 0, rssMiB, rssVsBare: rssMiB / 60 })
const results: Results = {
  date: '2026-12-02T05:55:03Z',
  quick: false,
  machine: { cpus: 2, cpu: 'AMD EPYC', memoryGiB: 24, kernel: '6.18', node: 'v20.20.2', pinned: true },
  load: { tool: 'wrk', version: '4.1.0', path: '/date/25-December', threads: 1, connections: 50, warmupSeconds: 3, seconds: 8, rounds: 5 },
  goPeer: 'measured',
  servers: {
    bare: server('bare node:http', 10, 60),
    warn: server('hbaas-server, LOG_LEVEL=warn', 12, 75),
    warnWithoutMetrics: server('hbaas-server, LOG_LEVEL=warn, METRICS_PORT=0', 11.5, 73),
    info: server('hbaas-server, LOG_LEVEL=info', 16, 80),
    infoWithoutMetrics: server('hbaas-server, LOG_LEVEL=info, METRICS_PORT=0', 15.6, 79)
  },
  coldStartMs: { bare: 34, warn: 150.4, warnWithoutMetrics: 146.2, runs: 15 },
  people: { runs: 3, sizes: [{ rows: 100_000, fileMiB: 3.01, startupSeconds: 0.4634, rssMiB: 93.2 }, { rows: 1_000_000, fileMiB: 31.07, startupSeconds: 2.108, rssMiB: 220.1 }] },
  image: { imageMiB: 131.5, baseImage: 'distroless', addedMiB: 3.416, rebuildSeconds: 1.4, runToFirstAnswerSeconds: 0.6, runToHealthySeconds: 10.4, runWithAMillionPeopleSeconds: 3.1 },
  targets: [target('CPU per request at LOG_LEVEL=warn vs bare node:http', 1.2, 1.25, '×'), target('cold start vs bare node:http', 4.42, 2, '×')]
}

t.test('the report: machine and load, each server against bare node:http, cold start, the image and each target met or missed', async t => {
  const markdown = report(results)
  t.match(markdown, /^# Benchmark results\n/)
  t.match(markdown, 'Measured 2026-12-02T05:55:03Z on 2 × AMD EPYC, 24 GiB, Linux 6.18, Node.js v20.20.2.\n')
  t.match(markdown, '5 round(s) per server, each beside bare node:http, both loaded at once, each by a wrk of its own; the servers on core 0, the wrks on core 1 (taskset).')
  t.match(markdown, '| hbaas-server, LOG_LEVEL=warn | 12.0 | 1.20× | 50000 | 0.71 | 2.50 | 0 | 75.0 | 1.25× |\n')
  t.match(markdown, 'Cold start, spawn to the first 200 on /version (median of 15): bare node:http 34 ms; hbaas-server, LOG_LEVEL=warn 150 ms; ' +
    'hbaas-server, LOG_LEVEL=warn, METRICS_PORT=0 146 ms.\n')
  t.match(markdown, '\nMetrics, on (the default) against off (METRICS_PORT=0): CPU per request 1.04× at LOG_LEVEL=warn and 1.03× at info; RSS after load 1.03× at warn; cold start 1.03×.\n')
  t.match(markdown, 'Your own people: a generated PEOPLE_FILE, spawn to the first answer for a day and the RSS then (median of 3).')
  t.match(markdown, '| 100,000 | 3.0 | 0.46 | 46.3 | 93.2 | 9.32 |\n| 1,000,000 | 31.1 | 2.11 | 21.1 | 220.1 | 2.20 |\n')
  t.match(markdown, 'Image: 131.5 MiB, 3.42 MiB on top of distroless; rebuild after touching one src/ file 1.4 s; docker run to the first answer 0.6 s, to healthy 10.4 s; with a million people (PEOPLE_FILE) to the first answer for a day 3.1 s.\n')
  t.match(markdown, '| CPU per request at LOG_LEVEL=warn vs bare node:http | 1.2× | ≤ 1.25× | met |\n')
  t.match(markdown, '| cold start vs bare node:http | 4.42× | ≤ 2× | **missed** |\n')
})

t.test('a quick run, unpinned, without the Go server or Docker says so', async t => {
  const markdown = report({ ...results, quick: true, machine: { ...results.machine, pinned: false }, load: { ...results.load, version: undefined }, goPeer: 'Go is not on this machine', image: { error: 'no Docker engine' } })
  t.match(markdown, 'Measured 2026-12-02T05:55:03Z (quick run)')
  t.match(markdown, 'Load: wrk , GET')
  t.match(markdown, 'servers and wrk not pinned (one core, or no taskset).')
  t.match(markdown, 'The Go server is not measured: Go is not on this machine.\n')
  t.match(markdown, 'Image: not measured (no Docker engine).\n')
  t.match(report({ ...results, image: { ...results.image, runToHealthySeconds: undefined } }), 'to healthy n/a s;')
})
