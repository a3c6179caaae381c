// The image's figures for the benchmark, when a Docker engine answers: its size and what it adds
// to the base, a rebuild after one source file changed, and `docker run` to the first answer and
// to healthy. It builds an image of its own name and removes it again.
import { execFile } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { copyBuildContext, dockerFlags, dockerfileArg } from '../lib/docker.cjs'
import { freePort, request } from '../lib/processes.cjs'

const MiB = 1024 * 1024
const docker = (/** @type {string[]} */ ...args) => promisify(execFile)('docker', args, { maxBuffer: 64 * MiB })

/**
 * @param {string} work a scratch folder @param {(message: string) => void} say progress
 * @returns {Promise<{ error: string } | { imageMiB: number, baseImage: string, addedMiB: number, rebuildSeconds: number, runToFirstAnswerSeconds?: number, runToHealthySeconds?: number }>}
 */
export async function measureImage (work, say) {
  if (!await docker('info').then(() => true, () => false)) {
    say('no Docker engine: skipping the image measures')
    return { error: 'no Docker engine' }
  }
  // An image name of the benchmark's own, removed at the end: never the user's hbaas-server.
  const tag = `hbaas-bench-${process.pid}:latest`
  const label = `hbaas-bench=${process.pid}`
  try {
    const context = join(work, 'context')
    copyBuildContext(context)
    const buildImage = async () => {
      const started = performance.now()
      await docker('build', ...dockerFlags('DOCKER_BUILD_FLAGS'), '--label', label, '--tag', tag, context)
      return (performance.now() - started) / 1000
    }
    say('image: first build')
    await buildImage()
    appendFileSync(join(context, 'src/routes/root.ts'), `// touched by the benchmark at ${Date.now()}\n`)
    say('image: rebuild after touching one src/ file')
    const rebuildSeconds = await buildImage()
    const baseImage = dockerfileArg('RUNNER_IMAGE')
    const size = async (/** @type {string} */ name) => Number((await docker('image', 'inspect', '--format', '{{.Size}}', name)).stdout)
    const [imageBytes, baseBytes] = [await size(tag), await size(baseImage)]

    say('image: docker run to the first answer and to healthy')
    const port = await freePort()
    const started = performance.now()
    const id = (await docker('run', '--detach', ...dockerFlags('DOCKER_RUN_FLAGS'), '--publish', `${port}:${port}`, '--env', `PORT=${port}`, tag)).stdout.trim()
    let firstAnswerSeconds
    let healthySeconds
    while (healthySeconds === undefined && performance.now() - started < 60_000) {
      if (firstAnswerSeconds === undefined && (await request(port, '/healthz').catch(() => undefined))?.status === 200) {
        firstAnswerSeconds = (performance.now() - started) / 1000
      }
      if ((await docker('inspect', '--format', '{{.State.Health.Status}}', id)).stdout.trim() === 'healthy') {
        healthySeconds = (performance.now() - started) / 1000
      }
      await sleep(100)
    }
    await docker('rm', '--force', id)
    return { imageMiB: imageBytes / MiB, baseImage, addedMiB: (imageBytes - baseBytes) / MiB, rebuildSeconds, runToFirstAnswerSeconds: firstAnswerSeconds, runToHealthySeconds: healthySeconds }
  } catch (error) {
    const message = /** @type {Error} */ (error).message.split('\n')[0]
    say(`image measures failed: ${message}`)
    return { error: message }
  } finally {
    // The rebuild left the first build untagged: both go.
    const { stdout } = await docker('image', 'ls', '--quiet', '--filter', `label=${label}`)
    const ids = [...new Set(stdout.split('\n').filter(Boolean))]
    if (ids.length) await docker('image', 'rm', '--force', ...ids)
  }
}
