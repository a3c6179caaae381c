import t from 'tap'
import { buildTestApp } from '../helpers/app'
import { listenOnLoopback } from '../helpers/http'
import { exchange } from '../../scripts/lib/http.mjs'

t.test('a URL that cannot be decoded is a 400 in the same shape', async t => {
  const app = await buildTestApp(t)
  const res = await app.inject('/date/%E0%A4%A')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { statusCode: 400, error: 'Bad Request', message: "'/date/%E0%A4%A' is not a valid url component" })
})

t.test('a server error tells the client nothing of its internals, and logs them', async t => {
  const logLines: string[] = []
  const app = await buildTestApp(t, { logger: { level: 'error', stream: { write: (line: string) => logLines.push(line) } } })
  app.get('/broken', async () => {
    throw new Error('ENOENT: no such file /srv/secret/config.json')
  })
  const res = await app.inject('/broken')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side; it has been logged.' })
  t.notMatch(res.body, /secret|ENOENT|at .*\.ts/)
  t.match(logLines.join(''), '/srv/secret/config.json', 'the log has the details')
})

t.test('an error with a status of its own keeps it', async t => {
  const app = await buildTestApp(t)
  app.get('/teapot', async () => {
    throw Object.assign(new Error('I am a teapot'), { statusCode: 418 })
  })
  app.get('/unavailable', async () => {
    throw Object.assign(new Error('upstream said no'), { statusCode: 502 })
  })
  t.same((await app.inject('/teapot')).json(), { statusCode: 418, error: "I'm a Teapot", message: 'I am a teapot' })
  t.same((await app.inject('/unavailable')).json(), { statusCode: 502, error: 'Bad Gateway', message: 'Something went wrong on our side; it has been logged.' })
})

t.test('a request that Node\'s HTTP parser refuses gets the JSON error shape, then the connection closes', async t => {
  const app = await buildTestApp(t)
  const port = await listenOnLoopback(app)
  const send = async (raw: string) => (await exchange(port, raw)).raw
  const malformed = await send('NOT HTTP AT ALL\r\n\r\n')
  t.match(malformed, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(malformed, 'Content-Type: application/json')
  t.match(JSON.parse(malformed.split('\r\n\r\n')[1]), { statusCode: 400, error: 'Bad Request', message: String })
  const huge = await send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`)
  t.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
  t.match(JSON.parse(huge.split('\r\n\r\n')[1]), { statusCode: 431, error: 'Request Header Fields Too Large', message: String })
})
