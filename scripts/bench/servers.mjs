// The servers the benchmark measures, and how it starts one: on the first core (the load
// generator gets the second), its log to a file as a container's is, until it answers.
import { closeSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { bundleNodeFlags } from '../lib/docker.mjs'
import { startServerProcess } from '../lib/processes.mjs'

/**
 * hbaas-server at LOG_LEVEL=warn and info, with metrics (as it runs by default) and without
 * (METRICS_PORT=0), beside its references: bare node:http and a minimal Fastify app answering its
 * bytes (body.json in `work`), and the Go server it replaces when it was built.
 * @param {{ root: string, here: string, work: string, goPeer: { binary: string } | { reason: string } }} where
 */
export function benchServers ({ root, here, work, goPeer }) {
  const bundle = [...bundleNodeFlags(), join(work, 'dist/server.cjs')]
  const body = { BODY_FILE: join(work, 'body.json') }
  const service = (/** @type {string} */ label, /** @type {Record<string, string>} */ env) => ({ label, command: process.execPath, args: bundle, env })
  return {
    bare: { label: 'bare node:http, the same bytes (the limit)', command: process.execPath, args: [join(here, 'bare-server.mjs')], env: body },
    // Started with the service's own node flags, so that the cold start ratio is what the service's
    // code costs over the framework's: on Node.js 20 any V8 flag makes node refuse its code cache
    // for its built-in modules, about 24 ms of start-up for both (docs/performance.md).
    fastify: { label: 'a minimal Fastify 5 app, one route, logger at warn, bundled, the same node flags', command: process.execPath, args: [...bundleNodeFlags(), join(work, 'minimal-fastify.cjs')], env: body },
    warn: service('hbaas-server, LOG_LEVEL=warn', { LOG_LEVEL: 'warn' }),
    warnWithoutMetrics: service('hbaas-server, LOG_LEVEL=warn, METRICS_PORT=0 (no metrics)', { LOG_LEVEL: 'warn', METRICS_PORT: '0' }),
    info: service('hbaas-server, LOG_LEVEL=info', { LOG_LEVEL: 'info' }),
    infoWithoutMetrics: service('hbaas-server, LOG_LEVEL=info, METRICS_PORT=0 (no metrics)', { LOG_LEVEL: 'info', METRICS_PORT: '0' }),
    ...('binary' in goPeer && { go: { label: 'the Go/Echo server it replaces (GOMAXPROCS=1, no request log)', command: goPeer.binary, args: [], env: { GOMAXPROCS: '1', PEOPLE_CSV: join(root, 'src/data/people.csv') } } })
  }
}

/** @typedef {ReturnType<typeof benchServers>[keyof ReturnType<typeof benchServers>]} BenchServer */

/**
 * Starting and stopping servers on the first core.
 * @param {string} work where the servers' log goes
 * @param {(core: number, command: string, args: string[]) => [string, string[]]} onCore
 */
export function serverStarter (work, onCore) {
  /** Starts a server and waits for its first 200. @param {BenchServer} server @param {{ pollMs?: number, readyPath?: string }} [options] */
  async function start (server, { pollMs = 20, readyPath = '/version' } = {}) {
    const [command, commandArgs] = onCore(0, server.command, server.args)
    const log = openSync(join(work, 'server.log'), 'a')
    const running = await startServerProcess({ command, args: commandArgs, env: server.env, stdio: ['ignore', log, 'inherit'], readyPath, pollMs })
    closeSync(log)
    if (running.child.exitCode !== null) throw new Error(`${server.label} exited before serving`)
    return running
  }
  /** @param {Awaited<ReturnType<typeof start>>} running */
  async function stop ({ child, exited }) {
    child.kill('SIGTERM')
    await exited
  }
  return { start, stop }
}
