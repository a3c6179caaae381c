// The benchmark's load: CPU per request, throughput, latency and memory, each server in pairs with
// bare node:http, and cold start.
import { cpuSeconds, rssBytes } from '../lib/processes.mjs'
import { median } from './report.mjs'

const MiB = 1024 * 1024

/**
 * @typedef {import('./servers.mjs').BenchServer} BenchServer
 * @typedef {ReturnType<typeof import('./servers.mjs').serverStarter>} Starter
 * @typedef {{ requests: number, requestsPerSecond: number, p50Ms: number, p99Ms: number, errors: number }} WrkResult
 */

/**
 * Each server against bare node:http, in pairs: both on the first core at once, each loaded by a
 * wrk of its own on the second, so that whatever slows the machine for a moment slows both.
 * Paired like this, the same server against itself reads 1.00 ± 0.03, where rounds one server at
 * a time drift by ±20 % (docs/performance.md). A server's ratio to bare is the median of its
 * rounds' ratios; its other figures are the medians of its rounds, bare's of all its pairings.
 * @param {{ servers: Record<string, BenchServer>, rounds: number, warmupSeconds: number, seconds: number, starter: Starter,
 *   wrk: (port: number, seconds: number) => Promise<WrkResult>, say: (message: string) => void }} options
 */
export async function pairedRounds ({ servers, rounds, warmupSeconds, seconds, starter: { start, stop }, wrk, say }) {
  /** @type {Record<string, Array<WrkResult & { cpuPerRequestUs: number, rssMiB: number, vsBare: number, rssVsBare: number }>>} */
  const measured = Object.fromEntries(Object.keys(servers).map(name => [name, []]))
  for (let round = 1; round <= rounds; round++) {
    for (const name of Object.keys(servers).filter(name => name !== 'bare')) {
      say(`round ${round}/${rounds}: ${servers[name].label}, beside bare node:http`)
      const pair = [await start(servers.bare), await start(servers[name])]
      await Promise.all(pair.map(running => wrk(running.port, warmupSeconds)))
      const cpuBefore = pair.map(running => cpuSeconds(/** @type {number} */ (running.child.pid)))
      const loads = await Promise.all(pair.map(running => wrk(running.port, seconds)))
      const [bare, other] = pair.map((running, i) => ({
        ...loads[i],
        cpuPerRequestUs: (cpuSeconds(/** @type {number} */ (running.child.pid)) - cpuBefore[i]) / loads[i].requests * 1e6,
        rssMiB: rssBytes(/** @type {number} */ (running.child.pid)) / MiB
      }))
      for (const running of pair) await stop(running)
      measured.bare.push({ ...bare, vsBare: 1, rssVsBare: 1 })
      measured[name].push({ ...other, vsBare: other.cpuPerRequestUs / bare.cpuPerRequestUs, rssVsBare: other.rssMiB / bare.rssMiB })
    }
  }
  return Object.fromEntries(Object.entries(measured).map(([name, results]) => {
    const of = (/** @type {keyof results[number]} */ figure) => median(results.map(result => result[figure]))
    return [name, {
      server: servers[name].label,
      cpuPerRequestUs: of('cpuPerRequestUs'),
      vsBare: of('vsBare'),
      requestsPerSecond: of('requestsPerSecond'),
      p50Ms: of('p50Ms'),
      p99Ms: of('p99Ms'),
      errors: results.reduce((sum, result) => sum + result.errors, 0),
      rssMiB: of('rssMiB'),
      rssVsBare: of('rssVsBare')
    }]
  }))
}

/**
 * Cold start: spawn to the first 200 on /version, the servers in alternation, the median of `runs`
 * each, in ms.
 * @param {{ servers: Record<string, BenchServer>, runs: number, starter: Starter }} options
 * @returns {Promise<Record<string, number>>}
 */
export async function coldStarts ({ servers, runs, starter: { start, stop } }) {
  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(Object.keys(servers).map(name => [name, []]))
  for (let i = 0; i < runs; i++) {
    for (const [name, server] of Object.entries(servers)) {
      const started = performance.now()
      const running = await start(server, { pollMs: 1 })
      times[name].push(performance.now() - started)
      await stop(running)
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, median(ms)]))
}
