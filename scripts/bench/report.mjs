// The benchmark's arithmetic and its report: pure functions of what was measured, so that what
// the report says is tested without running a benchmark.

/** The median of some numbers. @param {number[]} values */
export function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * A target and whether it was met. The value is rounded up, so that a missed target never reads
 * as equal to it (1.604 is 1.61, not 1.6).
 * @param {string} measure @param {number} value @param {number} wanted at most @param {string} unit
 */
export function target (measure, value, wanted, unit) {
  return { measure, value: Math.ceil(value * 100) / 100, target: `≤ ${wanted}${unit}`, unit, met: value <= wanted }
}

/**
 * @typedef {{ server: string, cpuPerRequestUs: number, vsBare: number, requestsPerSecond: number, p50Ms: number, p99Ms: number, errors: number, rssMiB: number, rssVsBare: number }} ServerResult
 * @typedef {{
 *   date: string, quick: boolean,
 *   machine: { cpus: number, cpu?: string, memoryGiB: number, kernel: string, node: string, pinned: boolean },
 *   load: { tool: string, version?: string, path: string, threads: number, connections: number, warmupSeconds: number, seconds: number, rounds: number },
 *   goPeer: string,
 *   servers: Record<string, ServerResult>,
 *   coldStartMs: Record<string, number> & { runs: number },
 *   people: { runs: number, sizes: Array<{ rows: number, fileMiB: number, startupSeconds: number, rssMiB: number }> },
 *   image: { error: string } | { imageMiB: number, baseImage: string, addedMiB: number, rebuildSeconds: number, runToFirstAnswerSeconds?: number, runToHealthySeconds?: number, runWithAMillionPeopleSeconds?: number },
 *   targets: Array<ReturnType<typeof target>>
 * }} Results
 */

/** The results as Markdown: the machine and the load, a table of the servers, cold start, people files, the image, the targets. @param {Results} results */
export function report ({ date, quick, machine, load, goPeer, servers, coldStartMs, people, image, targets }) {
  const fixed = (/** @type {number | undefined} */ value, digits = 1) => value === undefined ? 'n/a' : value.toFixed(digits)
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (docs/performance.md says how it measures and what the figures mean).',
    '',
    `Measured ${date}${quick ? ' (quick run)' : ''} on ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node.js ${machine.node}.`,
    `Load: ${load.tool} ${load.version ?? ''}, GET ${load.path}, ${load.threads} thread, ${load.connections} connections, ${load.warmupSeconds} s warm-up then ${load.seconds} s, ` +
    `${load.rounds} round(s) per server, each beside bare node:http, both loaded at once, each by a wrk of its own; ` +
    `${machine.pinned ? 'the servers on core 0, the wrks on core 1 (taskset)' : 'servers and wrk not pinned (one core, or no taskset)'}. ` +
    '"vs bare" is the median of the rounds\' ratios; requests/s and latency are those of a server sharing its core.' +
    (goPeer === 'measured' ? '' : ` The Go server is not measured: ${goPeer}.`),
    '',
    '| server | CPU µs per request | vs bare | requests/s | p50 ms | p99 ms | errors | RSS after load MiB | vs bare |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...Object.values(servers).map(row => `| ${row.server} | ${fixed(row.cpuPerRequestUs)} | ${fixed(row.vsBare, 2)}× | ` +
      `${fixed(row.requestsPerSecond, 0)} | ${fixed(row.p50Ms, 2)} | ${fixed(row.p99Ms, 2)} | ${row.errors} | ${fixed(row.rssMiB)} | ${fixed(row.rssVsBare, 2)}× |`),
    '',
    `Cold start, spawn to the first 200 on /version (median of ${coldStartMs.runs}): ` +
      Object.entries(coldStartMs).filter(([name]) => name !== 'runs').map(([name, ms]) => `${servers[name].server} ${fixed(ms, 0)} ms`).join('; ') + '.',
    '',
    // What the metrics cost: the service as it runs by default against METRICS_PORT=0, in this run.
    'Metrics, on (the default) against off (METRICS_PORT=0): CPU per request ' +
      `${fixed(servers.warn.vsBare / servers.warnWithoutMetrics.vsBare, 2)}× at LOG_LEVEL=warn and ` +
      `${fixed(servers.info.vsBare / servers.infoWithoutMetrics.vsBare, 2)}× at info; ` +
      `RSS after load ${fixed(servers.warn.rssVsBare / servers.warnWithoutMetrics.rssVsBare, 2)}× at warn; ` +
      `cold start ${fixed(coldStartMs.warn / coldStartMs.warnWithoutMetrics, 2)}×.`,
    '',
    `Your own people: a generated PEOPLE_FILE, spawn to the first answer for a day and the RSS then (median of ${people.runs}). ` +
      'Per 10,000 people, the figures stay flat as the file grows when the growth is linear.',
    '',
    '| people | file MiB | start-up s | per 10,000 people ms | RSS after start MiB | per 10,000 people MiB |',
    '|---:|---:|---:|---:|---:|---:|',
    ...people.sizes.map(({ rows, fileMiB, startupSeconds, rssMiB }) => `| ${rows.toLocaleString('en')} | ${fixed(fileMiB)} | ${fixed(startupSeconds, 2)} | ` +
      `${fixed(startupSeconds * 1000 / (rows / 10_000))} | ${fixed(rssMiB)} | ${fixed(rssMiB / (rows / 10_000), 2)} |`),
    '',
    'error' in image
      ? `Image: not measured (${image.error}).`
      : `Image: ${fixed(image.imageMiB)} MiB, ${fixed(image.addedMiB, 2)} MiB on top of ${image.baseImage}; rebuild after touching one src/ file ${fixed(image.rebuildSeconds)} s; ` +
        `docker run to the first answer ${fixed(image.runToFirstAnswerSeconds)} s, to healthy ${fixed(image.runToHealthySeconds)} s; ` +
        `with a million people (PEOPLE_FILE) to the first answer for a day ${fixed(image.runWithAMillionPeopleSeconds)} s.`,
    '',
    '| target | measured | wanted | |',
    '|---|---:|---:|---|',
    ...targets.map(({ measure, value, unit, target: wanted, met }) => `| ${measure} | ${value}${unit} | ${wanted} | ${met ? 'met' : '**missed**'} |`)
  ]
  return `${lines.join('\n')}\n`
}
