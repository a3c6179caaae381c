import type { Test } from 'tap'
import { docker, removeImagesLabelled } from '../../scripts/lib/docker.mjs'
import { DOCKER_BUILD_FLAGS, DOCKER_RUN_FLAGS, TEST_RUN, TEST_RUN_LABEL } from './environment'

import { freePorts } from '../../scripts/lib/processes.mjs'

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
  t.teardown(() => removeImagesLabelled(TEST_RUN_LABEL))
}

/** Starts a detached container with DOCKER_RUN_FLAGS; it is removed after the test. */
export async function runContainer (t: Test, image: string, args: string[] = []): Promise<string> {
  const { stdout } = await docker('run', '--detach', ...DOCKER_RUN_FLAGS, ...args, image)
  const id = stdout.trim()
  t.teardown(() => docker('rm', '--force', id).catch(() => {}))
  return id
}

/**
 * Free ports for a container's API and its metrics, and the `docker run` flags that give them
 * (PORT, METRICS_PORT): with --network host, containers side by side never share a port.
 */
export async function containerPorts () {
  const [port, metricsPort] = await freePorts(2)
  return { port, metricsPort, envFlags: ['--env', `PORT=${port}`, '--env', `METRICS_PORT=${metricsPort}`] }
}
