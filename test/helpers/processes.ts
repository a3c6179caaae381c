import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import { promisify } from 'node:util'
import { ROOT } from './app'

export const run = promisify(execFile)

/** A TCP port that nothing listens on right now. */
export async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  return port
}

/** Bundles the server into outdir with `npm run build`'s script, stamped with the given build info. */
export async function buildBundle (outdir: string, env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', outdir], { env: { ...process.env, ...env } })
}

export interface RunningServer {
  child: ChildProcess
  url: string
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string | null>
}

/**
 * Starts `node dist/server.cjs` in cwd on a free port and waits until it answers (or exits).
 * The process is killed after the test if it is still running.
 */
export async function startServer (t: { teardown: (fn: () => unknown) => void }, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server.cjs'], {
    cwd,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => { stdout += chunk })
  child.stderr.on('data', chunk => { stderr += chunk })
  const exited = once(child, 'exit').then(([code, signal]) => code ?? signal)
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const url = `http://127.0.0.1:${port}`
  const ended = () => child.exitCode !== null || child.signalCode !== null
  while (!ended() && !await fetch(`${url}/healthz`).then(res => res.ok, () => false)) await setTimeout(20)
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited }
}
