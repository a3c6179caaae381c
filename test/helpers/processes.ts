import { execFile, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { bundleNodeFlags } from '../../scripts/lib/docker.mjs'
import { startServerProcess } from '../../scripts/lib/processes.mjs'
import { ROOT } from './root'

export const run = promisify(execFile)

/** Bundles the server into outdir with `npm run build`'s script, stamped with the given build info. */
export async function buildBundle (outdir: string, env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [join(ROOT, 'scripts/build/cli.mjs'), '--outdir', outdir], { env: { ...process.env, ...env } })
}

export interface RunningServer {
  child: ChildProcess
  url: string
  /** Where its metrics server listens (METRICS_PORT; a free port unless env gives one). */
  metricsUrl: string
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>
}

/**
 * Starts `node dist/server.cjs` (with the image's node flags) in cwd on a free port and waits until it answers (or exits).
 * The process is killed after the test if it is still running.
 */
export async function startServer (t: { teardown: (fn: () => unknown) => void }, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  let stdout = ''
  let stderr = ''
  const { child, port, metricsPort, exited } = await startServerProcess({
    command: process.execPath,
    args: [...bundleNodeFlags(), 'dist/server.cjs'],
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    onSpawn: child => {
      child.stdout?.on('data', chunk => { stdout += chunk })
      child.stderr?.on('data', chunk => { stderr += chunk })
      t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
    }
  })
  return { child, url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}`, stdout: () => stdout, stderr: () => stderr, exited }
}

/** The TCP ports a process listens on, from /proc: its sockets, and those of them in state LISTEN. */
export async function listeningPorts (pid: number): Promise<number[]> {
  const { readdir, readlink, readFile } = await import('node:fs/promises')
  const links = await Promise.all((await readdir(`/proc/${pid}/fd`)).map(fd => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')))
  const sockets = new Set(links.map(link => link.match(/^socket:\[(\d+)\]$/)?.[1]).filter(Boolean))
  const tables = await Promise.all(['tcp', 'tcp6'].map(table => readFile(`/proc/${pid}/net/${table}`, 'utf8')))
  // Each line: sl local_address rem_address st … inode, the address as HEX_IP:HEX_PORT, LISTEN as 0A.
  const ports = tables.flatMap(table => table.trim().split('\n').slice(1).map(line => line.trim().split(/\s+/)))
    .filter(fields => fields[3] === '0A' && sockets.has(fields[9]))
    .map(fields => parseInt(fields[1].split(':')[1], 16))
  return [...new Set(ports)].sort((a, b) => a - b)
}
