// Running servers as separate processes and reading what they cost: shared by the benchmark
// (scripts/bench/run.mjs) and the system tests.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { request } from './http.mjs'
import { waitFor } from './wait.mjs'

/** TCP ports that nothing listens on right now, all different. @param {number} count @returns {Promise<number[]>} */
async function freePorts (count) {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'))
  await Promise.all(servers.map(server => once(server, 'listening')))
  const ports = servers.map(server => /** @type {import('node:net').AddressInfo} */ (server.address()).port)
  for (const server of servers) server.close()
  return ports
}

/** A TCP port that nothing listens on right now. */
async function freePort () {
  const [port] = await freePorts(1)
  return port
}

/**
 * @typedef {object} ServerProcess
 * @property {import('node:child_process').ChildProcess} child
 * @property {number} port
 * @property {number} metricsPort the one given as METRICS_PORT (0: none)
 * @property {Promise<number | string | null>} exited the exit code (or signal) once it has ended
 */

/**
 * Starts a server process listening on a free port of 127.0.0.1 (given to it as PORT and HOST,
 * with another free port as METRICS_PORT, so that servers started side by side never share one)
 * and waits until `readyPath` answers 200, or the process ends. One that does neither within
 * timeoutMs is killed, and the start fails.
 * @param {object} options
 * @param {string} options.command
 * @param {string[]} options.args
 * @param {string} [options.cwd]
 * @param {NodeJS.ProcessEnv} [options.env] added to PATH, PORT, METRICS_PORT and HOST
 * @param {import('node:child_process').StdioOptions} [options.stdio]
 * @param {string} [options.readyPath]
 * @param {number} [options.pollMs] how often to ask readyPath
 * @param {number} [options.timeoutMs] how long it may take
 * @param {(child: import('node:child_process').ChildProcess) => void} [options.onSpawn] called at once, before the wait
 * @returns {Promise<ServerProcess>}
 */
async function startServerProcess ({ command, args, cwd, env = {}, stdio = 'ignore', readyPath = '/healthz', pollMs = 20, timeoutMs = 30_000, onSpawn }) {
  const [freeForApi, freeForMetrics] = await freePorts(2)
  const port = Number(env.PORT ?? freeForApi)
  const metricsPort = Number(env.METRICS_PORT ?? freeForMetrics)
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort), ...env }, stdio })
  onSpawn?.(child)
  const exited = once(child, 'exit').then(([code, signal]) => code ?? signal)
  const ended = () => child.exitCode !== null || child.signalCode !== null
  const ready = await waitFor(async () => ended() || (await request(port, readyPath)).status === 200, timeoutMs, pollMs)
  if (!ready) {
    child.kill('SIGKILL')
    throw new Error(`${command} ${args.join(' ')} did not answer ${readyPath} within ${timeoutMs} ms`)
  }
  return { child, port, metricsPort, exited }
}

/** Resident memory of a process, in bytes. @param {number} pid */
function rssBytes (pid) {
  return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1]) * 1024
}

// The kernel counts CPU time in clock ticks: 100 a second on Linux (USER_HZ).
const TICKS_PER_SECOND = 100

/** CPU time a process has used so far, user and system, all its threads: in seconds. @param {number} pid */
function cpuSeconds (pid) {
  // Fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

export { freePort, freePorts, startServerProcess, rssBytes, cpuSeconds }
