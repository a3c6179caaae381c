import t from 'tap'
import { UNMATCHED_ROUTE } from '../../src/observability/metrics'
import { TEST_BUILD_INFO, buildTestApp, buildTestAppWithMetrics } from '../helpers/app'
import { seriesOf, valueOf } from '../helpers/metrics'

const REQUESTS = 'http_requests_total'
const DURATIONS = 'http_request_duration_seconds'

t.test('N requests of known routes and statuses move the counter by exactly N, in their own series', async t => {
  const { app, scrape } = await buildTestAppWithMetrics(t)
  const before = (await scrape()).samples
  const asked: Array<[string, string, string, number]> = [
    // [method, url, route pattern, status]
    ['GET', '/name/Ada', '/name/:name', 200],
    ['GET', '/name/%20', '/name/:name', 400],
    ['GET', '/date/25-December', '/date/:day-:month', 200],
    ['GET', '/date/30-February', '/date/:day-:month', 400],
    ['HEAD', '/date/25-December', '/date/:day-:month', 200],
    ['GET', '/date/25', '/date/*', 400],
    ['GET', '/version', '/version', 200],
    ['GET', '/nope', UNMATCHED_ROUTE, 404],
    ['POST', '/version', UNMATCHED_ROUTE, 405]
  ]
  const times = 7
  for (let i = 0; i < times; i++) {
    for (const [method, url, , status] of asked) t.equal((await app.inject({ method: method as 'GET', url })).statusCode, status, `${method} ${url}`)
  }
  const after = (await scrape()).samples
  for (const [method, url, route, status] of asked) {
    const labels = { method, route, status_code: String(status) }
    t.equal(valueOf(after, REQUESTS, labels) - valueOf(before, REQUESTS, labels), times, `${method} ${url}: ${times} in ${JSON.stringify(labels)}`)
  }
  t.equal(valueOf(after, REQUESTS) - valueOf(before, REQUESTS), times * asked.length, 'and nowhere else')
})

t.test('the histogram counts each request once, as the counter does, with sub-millisecond buckets', async t => {
  const { app, scrape } = await buildTestAppWithMetrics(t)
  for (let i = 0; i < 25; i++) await app.inject('/date/11-November')
  for (let i = 0; i < 5; i++) await app.inject('/nope')
  const { samples } = await scrape()
  for (const series of [{ route: '/date/:day-:month', status_code: '200' }, { route: UNMATCHED_ROUTE, status_code: '404' }]) {
    const requests = valueOf(samples, REQUESTS, series)
    t.equal(valueOf(samples, `${DURATIONS}_count`, series), requests, `${JSON.stringify(series)}: the histogram's count is the counter`)
    t.equal(valueOf(samples, `${DURATIONS}_bucket`, { ...series, le: '+Inf' }), requests, 'and its +Inf bucket')
  }
  t.equal(valueOf(samples, REQUESTS, { route: '/date/:day-:month' }), 25)
  const buckets = samples.filter(sample => sample.name === `${DURATIONS}_bucket` && sample.labels.route === '/date/:day-:month')
  t.equal(buckets[0].labels.le, '0.0001', 'the first bucket is 0.1 ms')
  t.ok(buckets.filter(bucket => Number(bucket.labels.le) < 0.001).length >= 3, 'at least three buckets below 1 ms')
  t.ok(valueOf(samples, `${DURATIONS}_sum`, { route: '/date/:day-:month' }) > 0, 'the durations add up to some time')
})

t.test('labels are bounded: 300 different names and 300 unknown paths add no series', async t => {
  const { app, scrape } = await buildTestAppWithMetrics(t)
  await app.inject('/name/first')
  await app.inject('/first/unknown')
  const before = (await scrape()).samples
  // A few hundred show that a name or a path is never a label as well as any number would.
  for (let i = 0; i < 300; i++) {
    await app.inject(`/name/person-${i}`)
    await app.inject(`/unknown/path-${i}`)
  }
  const after = (await scrape()).samples
  for (const name of [REQUESTS, `${DURATIONS}_bucket`, `${DURATIONS}_count`]) t.equal(seriesOf(after, name), seriesOf(before, name), `${name}: no new series`)
  t.equal(valueOf(after, REQUESTS, { route: '/name/:name' }), 301)
  t.equal(valueOf(after, REQUESTS, { route: UNMATCHED_ROUTE, status_code: '404' }), 301, 'every 404 in one series')
  t.notMatch((await scrape()).text, /person-|path-/, 'no path asked for is a label')
})

t.test('health probes are counted under their own routes, apart from the API\'s', async t => {
  const { app, scrape } = await buildTestAppWithMetrics(t)
  for (let i = 0; i < 3; i++) await app.inject('/healthz')
  for (let i = 0; i < 4; i++) await app.inject('/readyz')
  await app.inject('/name/Ada')
  const { samples } = await scrape()
  t.equal(valueOf(samples, REQUESTS, { route: '/healthz' }), 3)
  t.equal(valueOf(samples, REQUESTS, { route: '/readyz' }), 4)
  t.equal(valueOf(samples, REQUESTS, { route: '/name/:name' }), 1, 'the API\'s figure is its own')
})

t.test('the build, the people and Node.js\'s own process metrics', async t => {
  const { scrape } = await buildTestAppWithMetrics(t)
  const { samples, text, contentType } = await scrape()
  t.match(contentType, /^text\/plain; version=0\.0\.4; charset=utf-8$/, 'Prometheus\'s text format')
  t.same(samples.filter(sample => sample.name === 'hbaas_build_info'), [{ name: 'hbaas_build_info', labels: { version: TEST_BUILD_INFO.version, commit: TEST_BUILD_INFO.commit }, value: 1 }])
  t.equal(valueOf(samples, 'hbaas_people'), 1299, 'the bundled people')
  for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'process_cpu_seconds_total', 'nodejs_active_handles_total']) {
    t.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name)
  }
})

t.test('/metrics is only on the metrics server: the public app answers it 404, and anything else there is a 404 too', async t => {
  const { app, metricsApp } = await buildTestAppWithMetrics(t)
  t.equal((await app.inject('/metrics')).statusCode, 404)
  t.equal((await metricsApp.inject('/')).statusCode, 404)
  t.equal((await metricsApp.inject('/date/25-December')).statusCode, 404)
  t.equal((await metricsApp.inject({ method: 'HEAD', url: '/metrics' })).statusCode, 200)
})

t.test('scrapes are not counted, and the app without metrics counts nothing and still answers', async t => {
  const { scrape } = await buildTestAppWithMetrics(t)
  await scrape()
  t.equal(valueOf((await scrape()).samples, REQUESTS), 0, 'two scrapes, no request')
  const app = await buildTestApp(t)
  t.equal((await app.inject('/date/25-December')).statusCode, 200)
})
