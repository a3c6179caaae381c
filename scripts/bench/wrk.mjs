// wrk, the benchmark's load generator: its command line and what its report says.

/**
 * wrk's arguments for a load of `seconds` on a URL.
 * @param {{ threads: number, connections: number }} load @param {string} url @param {number} seconds
 */
export function wrkArgs ({ threads, connections }, url, seconds) {
  return ['--threads', String(threads), '--connections', String(connections), '--duration', `${seconds}s`, '--latency', url]
}

/**
 * Requests served, requests/s, p50 and p99 latency and errors, from wrk's report (`--latency`).
 * @param {string} report wrk's stdout
 */
export function parseWrk (report) {
  const number = (/** @type {RegExp} */ pattern, /** @type {string} */ what) => {
    const value = report.match(pattern)?.[1]
    if (value === undefined) throw new Error(`wrk's report has no ${what}:\n${report}`)
    return Number(value)
  }
  const milliseconds = (/** @type {number} */ percentile) => {
    const [, value, unit] = report.match(new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm')) ?? []
    if (value === undefined) throw new Error(`wrk's report has no ${percentile}% latency:\n${report}`)
    return Number(value) * { us: 0.001, ms: 1, s: 1000 }[/** @type {'us' | 'ms' | 's'} */ (unit)]
  }
  const errors = [...report.matchAll(/(?:connect|read|write|timeout) (\d+)/g), ...report.matchAll(/Non-2xx or 3xx responses: (\d+)/g)]
  return {
    requests: number(/^\s+(\d+) requests in/m, 'request count'),
    requestsPerSecond: number(/^Requests\/sec:\s+([\d.]+)/m, 'requests/s'),
    p50Ms: milliseconds(50),
    p99Ms: milliseconds(99),
    errors: errors.reduce((sum, [, count]) => sum + Number(count), 0)
  }
}
