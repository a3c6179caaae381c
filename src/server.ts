import { totalmem } from 'node:os'
import { join } from 'node:path'
import { getHeapStatistics } from 'node:v8'
import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { buildApp } from './app'
import { BirthdayBook } from './birthdays/birthday-book'
import { readPeopleFile } from './birthdays/people'
import { precompiled } from './bundle/compiled-schemas'
import { readConfig } from './startup/config'
import { peopleFileLimit } from './startup/people-limit'
import { createMetrics } from './observability/metrics'
import { buildMetricsApp } from './observability/metrics-app'
import { SHUTDOWN_GRACE_MS } from './plugins/shutdown'
import bundledPeople from './data/people.csv'
import { MetricsPortError, startupErrorReport } from './startup/errors'
import compiledSchemas from 'virtual:compiled-schemas'

async function start () {
  const config = readConfig(process.env, compiledSchemas.config)
  const people = config.PEOPLE_FILE
    ? await readPeopleFile(config.PEOPLE_FILE, peopleFileLimit(config, memoryLimits()))
    : BirthdayBook.of(bundledPeople)

  // Log lines go to stdout asynchronously: under load, many of them in one write instead of a
  // write each. Whatever is still buffered is written before the process ends, however it ends.
  const logDestination = pino.destination({ sync: false })
  process.on('exit', () => logDestination.flushSync())

  // METRICS_PORT=0: nothing is counted, and no second server listens.
  const metrics = config.METRICS_PORT ? createMetrics({ buildInfo: BUILD_INFO, people: people.size }) : undefined
  const app = await buildApp({
    people,
    metrics,
    buildInfo: BUILD_INFO,
    logger: { level: config.LOG_LEVEL, stream: logDestination },
    docsAssetsDir: join(__dirname, 'docs'),
    apiDocument: API_DOCUMENT,
    schemaController: precompiled(compiledSchemas)
  })
  const metricsApp = metrics && await buildMetricsApp({ metrics, logger: app.log, schemaController: precompiled(compiledSchemas) })

  // As PID 1 in a container, node gets no default SIGTERM handling: this is what stops it. It
  // also catches a fatal error, logs it and exits 1.
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error')
    else app.log.info({ signal }, 'shutting down: finishing requests in flight')
    await app.close()
    await metricsApp?.close()
    await new Promise(resolve => logDestination.flush(resolve))
  })

  app.log.info({ people: people.size, source: config.PEOPLE_FILE ?? 'bundled', ...BUILD_INFO }, 'starting')
  // The metrics server first: the service is not ready (/readyz) before both listen.
  await metricsApp?.listen({ port: config.METRICS_PORT, host: config.HOST, listenTextResolver: address => `metrics listening at ${address}/metrics` })
    .catch(error => { throw new MetricsPortError(config.METRICS_PORT, error) })
  await app.listen({ port: config.PORT, host: config.HOST, listenTextResolver: address => `API listening at ${address}` })
}

// The memory this process may use: its container's limit (cgroups), else the machine's (Node.js
// answers 0 or 2^64 when there is no limit); and V8's heap limit (--max-old-space-size, or what V8
// chose), which may be the smaller.
function memoryLimits () {
  return { memoryBytes: Math.min(process.constrainedMemory() || Infinity, totalmem()), heapLimitBytes: getHeapStatistics().heap_size_limit }
}

start().catch((error: Error) => {
  console.error(startupErrorReport(error))
  process.exit(1)
})
