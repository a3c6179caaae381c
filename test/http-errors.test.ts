import t from 'tap'
import { buildTestApp } from './helpers/app'
import { exchange, listenOnLoopback } from './helpers/http'

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
