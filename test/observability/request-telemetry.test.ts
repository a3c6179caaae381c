import t from 'tap'
import { buildTestApp } from '../helpers/app'

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

t.test('a valid traceparent puts the caller\'s trace id and span id in every log line of its request', async t => {
  const logLines: string[] = []
  const app = await buildTestApp(t, { logger: { level: 'info', stream: { write: (line: string) => logLines.push(line) } } })
  app.get('/fails', async () => { throw new Error('boom') })
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  const trace = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', parent_span_id: '00f067aa0ba902b7' }
  t.equal((await app.inject({ url: '/date/25-December', headers: { traceparent } })).statusCode, 200)
  t.equal((await app.inject({ url: '/nope', headers: { traceparent } })).statusCode, 404)
  t.equal((await app.inject({ url: '/fails', headers: { traceparent } })).statusCode, 500)
  const lines = logLines.map(line => JSON.parse(line))
  t.same(lines.map(line => line.msg), ['request completed', 'request completed', 'request failed', 'request completed'])
  for (const line of lines) t.match(line, trace, `${line.msg} ${line.url ?? ''}`)
})

t.test('an invalid traceparent changes nothing: the same answer, and a log line without trace ids', async t => {
  const logLines: string[] = []
  const app = await buildTestApp(t, { logger: { level: 'info', stream: { write: (line: string) => logLines.push(line) } } })
  const plain = await app.inject('/date/25-December')
  for (const traceparent of ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'garbage', 'x'.repeat(4000)]) {
    const res = await app.inject({ url: '/date/25-December', headers: { traceparent } })
    t.equal(res.statusCode, 200, traceparent.slice(0, 20))
    t.equal(res.body, plain.body)
  }
  const lines = logLines.map(line => JSON.parse(line))
  t.equal(lines.length, 5)
  for (const line of lines) {
    t.notOk('trace_id' in line || 'parent_span_id' in line, 'no trace ids')
    t.same(Object.keys(line).sort(), Object.keys(lines[0]).sort(), 'the same fields as without the header')
  }
})
