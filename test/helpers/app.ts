import { dirname } from 'node:path'
import { buildApp, type AppOptions } from '../../src/app'
import { createMetrics } from '../../src/observability/metrics'
import { buildMetricsApp } from '../../src/observability/metrics-app'
import { parseSamples } from './metrics'
import { readBundledPeople } from './people'

/** Where Swagger UI's files are before bundling. */
export const SWAGGER_UI_DIST = dirname(require.resolve('swagger-ui-dist/package.json'))

export const TEST_BUILD_INFO = { version: 'v1.2.3-4-gabcdef1', buildTime: '2026-11-27T17:00:00Z', commit: 'abcdef1' }

/** The app as the server builds it, with the bundled people unless told otherwise; closed after the test. */
export async function buildTestApp (t: { teardown: (fn: () => unknown) => void }, options: Partial<AppOptions> = {}) {
  const app = await buildApp({ people: await readBundledPeople(), buildInfo: TEST_BUILD_INFO, docsAssetsDir: SWAGGER_UI_DIST, ...options })
  t.teardown(() => app.close())
  return app
}

/**
 * The app with metrics, as the server builds it, and its metrics server: `scrape()` asks the
 * latter for /metrics, as Prometheus would.
 */
export async function buildTestAppWithMetrics (t: { teardown: (fn: () => unknown) => void }, options: Partial<AppOptions> = {}) {
  const people = options.people ?? await readBundledPeople()
  const metrics = createMetrics({ buildInfo: options.buildInfo ?? TEST_BUILD_INFO, people: people.size })
  const app = await buildTestApp(t, { ...options, people, metrics })
  const metricsApp = await buildMetricsApp({ metrics })
  t.teardown(() => metricsApp.close())
  const scrape = async () => {
    const res = await metricsApp.inject('/metrics')
    if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`)
    return { contentType: res.headers['content-type'], text: res.body, samples: parseSamples(res.body) }
  }
  return { app, metricsApp, scrape }
}
