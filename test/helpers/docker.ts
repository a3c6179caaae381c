import { setTimeout } from 'node:timers/promises'
import type { Test } from 'tap'
import { DOCKER_BUILD_FLAGS, DOCKER_RUN_FLAGS, TEST_RUN, TEST_RUN_LABEL } from './environment'
import { run } from './processes'

/** `docker …`, resolving with its stdout (and stderr); rejects on a non-zero exit. */
export async function docker (...args: string[]) {
  return run('docker', args, { maxBuffer: 64 * 1024 * 1024 })
}

/** An image name of this test run's own, e.g. hbaas-test-123-abc:container. */
export const testImage = (tag: string) => `${TEST_RUN}:${tag}`

/** Builds the image from a context folder with DOCKER_BUILD_FLAGS, labelled so that removeTestImages finds it. */
export async function buildImage (context: string, tag: string, buildArgs: Record<string, string> = {}) {
  const args = Object.entries(buildArgs).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`])
  return docker('build', ...DOCKER_BUILD_FLAGS, '--label', TEST_RUN_LABEL, '--progress', 'plain', '--tag', tag, ...args, context)
}

/**
 * Removes, after the test, every image of this test run: all that carry its label, under any
 * name (tags made with `docker tag` included) or none (an image a rebuild took the tag from).
 */
export function removeTestImages (t: Test) {
  t.teardown(async () => {
    const { stdout } = await docker('image', 'ls', '--quiet', '--filter', `label=${TEST_RUN_LABEL}`)
    const ids = [...new Set(stdout.split('\n').filter(Boolean))]
    if (ids.length) await docker('image', 'rm', '--force', ...ids)
  })
}

/** Starts a detached container with DOCKER_RUN_FLAGS; it is removed after the test. */
export async function runContainer (t: Test, image: string, args: string[] = []): Promise<string> {
  const { stdout } = await docker('run', '--detach', ...DOCKER_RUN_FLAGS, ...args, image)
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
