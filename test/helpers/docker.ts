import { setTimeout } from 'node:timers/promises'
import type { Test } from 'tap'
import { run } from './processes'

/** `docker …`, resolving with its stdout (and stderr); rejects on a non-zero exit. */
export async function docker (...args: string[]) {
  return run('docker', args, { maxBuffer: 64 * 1024 * 1024 })
}

/** Builds the image from a context folder; our machines have no bridge network, hence --network host. */
export async function buildImage (context: string, tag: string, buildArgs: Record<string, string> = {}) {
  const args = Object.entries(buildArgs).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`])
  return docker('build', '--network', 'host', '--progress', 'plain', '--tag', tag, ...args, context)
}

/** Starts a detached container on the host network and removes it after the test. */
export async function runContainer (t: Test, image: string, args: string[] = []): Promise<string> {
  const { stdout } = await docker('run', '--detach', '--network', 'host', ...args, image)
  const id = stdout.trim()
  t.teardown(() => docker('rm', '--force', id).catch(() => {}))
  return id
}

/** Polls until check() resolves truthy, or gives up after timeoutMs. */
export async function waitFor<T> (check: () => Promise<T>, timeoutMs: number, intervalMs = 200): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const result = await check().catch(() => undefined)
    if (result) return result
    await setTimeout(intervalMs)
  }
  return undefined
}
