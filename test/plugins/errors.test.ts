import { once } from 'node:events'
import { connect, type AddressInfo, type Socket } from 'node:net'
import t from 'tap'
import { clientErrorHandler } from '../../src/plugins/errors'
import { buildTestApp } from '../helpers/app'

t.test('an unknown route is a 404 in the JSON error shape', async t => {
  const app = await buildTestApp(t)
  for (const [method, url] of [['GET', '/nope'], ['GET', '/date'], ['POST', '/nope'], ['DELETE', '/name/Ada/more']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    t.same(res.json(), { statusCode: 404, error: 'Not Found', message: `No route for ${method} ${url}; see /docs for the routes.` })
  }
})

t.test('another method on a known path is a 405 that says to use GET', async t => {
  const app = await buildTestApp(t)
  for (const [method, url, path] of [['POST', '/name/Ada', '/name/Ada'], ['DELETE', '/', '/'], ['PUT', '/date/today?tz=UTC', '/date/today'], ['QUERY', '/version', '/version']] as const) {
    const res = await app.inject({ method, url, payload: method === 'DELETE' ? undefined : '{}' })
    t.equal(res.statusCode, 405, `${method} ${url}`)
    t.equal(res.headers.allow, 'GET, HEAD')
    t.same(res.json(), { statusCode: 405, error: 'Method Not Allowed', message: `${method} is not allowed on ${path}; use GET.` })
  }
})

t.test('a request that Node\'s HTTP parser refuses gets the JSON error shape, then the connection closes', async t => {
  const app = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const send = async (raw: string) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    socket.on('data', chunk => { received += chunk })
    socket.write(raw)
    await once(socket, 'close')
    return received
  }
  const malformed = await send('NOT HTTP AT ALL\r\n\r\n')
  t.match(malformed, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(malformed, 'Content-Type: application/json; charset=utf-8')
  t.same(JSON.parse(malformed.split('\r\n\r\n')[1]), { statusCode: 400, error: 'Bad Request', message: 'The request is not valid HTTP.' })
  const huge = await send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`)
  t.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
  t.match(JSON.parse(huge.split('\r\n\r\n')[1]), { statusCode: 431, message: /larger than the server accepts/ })
})

t.test('an HTTP/1.1 request without a Host header is a 400 in the same shape', async t => {
  const app = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', chunk => { received += chunk })
  socket.write('GET /version HTTP/1.1\r\nConnection: close\r\n\r\n')
  await once(socket, 'close')
  t.match(received, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.same(JSON.parse(received.split('\r\n\r\n')[1]), { statusCode: 400, error: 'Bad Request', message: 'An HTTP/1.1 request needs a Host header.' })
})

t.test('a reset or closed connection is only let go', async t => {
  let destroyed = 0
  const socket = { writable: true, destroy: () => { destroyed++ }, end: () => t.fail('nothing is written') } as unknown as Socket
  clientErrorHandler(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket)
  clientErrorHandler(Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }), Object.assign(socket, { writable: false }))
  t.equal(destroyed, 2)
})

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
