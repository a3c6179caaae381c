import t from 'tap'
import { buildTestApp } from './helpers/app'

t.test('every response carries a request id: the caller\'s when it is sane, else a new one', async t => {
  const app = await buildTestApp(t)
  const idOf = async (headers: Record<string, string>, url = '/healthz') => (await app.inject({ url, headers })).headers['x-request-id']
  t.equal(await idOf({ 'x-request-id': 'abc-123_def.456:7' }), 'abc-123_def.456:7')
  t.equal(await idOf({ 'x-request-id': 'abc-123' }, '/nope'), 'abc-123', 'on errors too')
  t.equal((await app.inject({ method: 'POST', url: '/healthz', headers: { 'x-request-id': 'post-1' } })).headers['x-request-id'], 'post-1', 'on a 405')
  t.equal(await idOf({ 'x-request-id': 'bad-url' }, '/name/%E0%A4%A'), 'bad-url', 'on a URL that cannot be decoded, which no hook sees')
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  t.match(await idOf({}), uuid)
  for (const insane of ['has space', 'x'.repeat(129), '<script>', 'line\\nbreak', '']) {
    t.match(await idOf({ 'x-request-id': insane }), uuid, JSON.stringify(insane.slice(0, 20)))
  }
  t.not(await idOf({}), await idOf({}), 'new ids differ')
})

t.test('one log line per completed request, with what an operator needs', async t => {
  const logLines: string[] = []
  const app = await buildTestApp(t, { logger: { level: 'info', stream: { write: (line: string) => logLines.push(line) } } })
  await app.inject({ url: '/date/25-December', headers: { 'x-request-id': 'trace-me' } })
  await app.inject('/nope')
  const lines = logLines.map(line => JSON.parse(line))
  t.equal(lines.length, 2)
  t.match(lines[0], { level: 30, reqId: 'trace-me', method: 'GET', url: '/date/25-December', statusCode: 200, responseTime: Number, msg: 'request completed' })
  t.match(lines[1], { statusCode: 404, url: '/nope' })
})

t.test('health probes are logged at debug, so that they do not fill the log at info', async t => {
  for (const level of ['info', 'debug']) {
    const logLines: string[] = []
    const app = await buildTestApp(t, { logger: { level, stream: { write: (line: string) => logLines.push(line) } } })
    await app.inject('/healthz')
    await app.inject('/readyz')
    await app.inject('/version')
    const lines = logLines.map(line => JSON.parse(line))
    t.same(lines.map(line => [line.url, line.level]),
      level === 'info' ? [['/version', 30]] : [['/healthz', 20], ['/readyz', 20], ['/version', 30]], `at ${level}`)
  }
})
