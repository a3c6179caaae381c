// The image's figures for the benchmark, when a Docker engine answers: its size and what it adds
// to the base, a rebuild after one source file changed, `docker run` to the first answer and to
// healthy, and with a million people to the first answer for a day. It builds an image of its own
// name and removes it again.
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { copyBuildContext, docker, dockerFlags, dockerfileArg, removeImagesLabelled } from '../lib/docker.cjs'
import { request } from '../lib/http.cjs'
import { writePeopleFile } from '../lib/people-file.cjs'
import { freePorts } from '../lib/processes.cjs'
import { waitFor } from '../lib/wait.cjs'

const MiB = 1024 * 1024

/**
 * @param {string} work a scratch folder @param {(message: string) => void} say progress
 * @returns {Promise<{ error: string } | { imageMiB: number, baseImage: string, addedMiB: number, rebuildSeconds: number, runToFirstAnswerSeconds?: number, runToHealthySeconds?: number, runWithAMillionPeopleSeconds?: number }>}
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
    const [port, metricsPort] = await freePorts(2)
    const started = performance.now()
    const id = (await docker('run', '--detach', ...dockerFlags('DOCKER_RUN_FLAGS'), '--publish', `${port}:${port}`, '--env', `PORT=${port}`, '--env', `METRICS_PORT=${metricsPort}`, tag)).stdout.trim()
    const seconds = () => (performance.now() - started) / 1000
    const firstAnswerSeconds = await waitFor(async () => (await request(port, '/healthz')).status === 200 && seconds(), 60_000, 50)
    const healthySeconds = await waitFor(async () => (await docker('inspect', '--format', '{{.State.Health.Status}}', id)).stdout.trim() === 'healthy' && seconds(), 60_000, 100)
    await docker('rm', '--force', id)

    say('image: docker run with a million people to the first answer for a day')
    const peopleFile = join(work, 'people-image.csv')
    await writePeopleFile(peopleFile, 1_000_000)
    const startedWithPeople = performance.now()
    const withPeople = (await docker('run', '--detach', ...dockerFlags('DOCKER_RUN_FLAGS'), '--publish', `${port}:${port}`, '--env', `PORT=${port}`, '--env', `METRICS_PORT=${metricsPort}`,
      '--volume', `${peopleFile}:/data/people.csv:ro`, '--env', 'PEOPLE_FILE=/data/people.csv', tag)).stdout.trim()
    const millionPeopleSeconds = await waitFor(async () => (await request(port, '/date/1-March')).status === 200 && (performance.now() - startedWithPeople) / 1000, 120_000, 50)
    await docker('rm', '--force', withPeople)
    return {
      imageMiB: imageBytes / MiB,
      baseImage,
      addedMiB: (imageBytes - baseBytes) / MiB,
      rebuildSeconds,
      runToFirstAnswerSeconds: firstAnswerSeconds,
      runToHealthySeconds: healthySeconds,
      runWithAMillionPeopleSeconds: millionPeopleSeconds
    }
  } catch (error) {
    const message = /** @type {Error} */ (error).message.split('\n')[0]
    say(`image measures failed: ${message}`)
    return { error: message }
  } finally {
    await removeImagesLabelled(label) // the rebuild left the first build untagged: both go
  }
}
