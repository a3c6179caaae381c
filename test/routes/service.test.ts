import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import t from 'tap'
import { buildTestApp } from '../helpers/app'

t.test('GET / welcomes with the Go server\'s message and points onwards', async t => {
  const app = await buildTestApp(t)
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.match(res.json(), {
    message: "Welcome! Try sending a request to '/name/{some-name}' to get started!",
    docs: '/docs',
    openapi: '/openapi.json'
  })
  for (const example of res.json().examples) t.equal((await app.inject(example)).statusCode, 200, `${example} works`)
})

t.test('GET /version answers with the build it was given', async t => {
  const app = await buildTestApp(t, { buildInfo: { version: 'v9.9.9', buildTime: '2026-01-02T03:04:05Z', commit: '1234567' } })
  const res = await app.inject('/version')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { version: 'v9.9.9', build_time: '2026-01-02T03:04:05Z', commit: '1234567' })
})

t.test('GET /healthz and /readyz', async t => {
  const app = await buildTestApp(t)
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ready' })
})

t.test('GET /readyz answers 503 once shutdown has begun, while requests in flight finish', async t => {
  const app = await buildTestApp(t)
  // A request held in flight keeps the server closing long enough to ask /readyz on the way.
  let startSlow = () => {}
  const slowStarted = new Promise<void>(resolve => { startSlow = resolve })
  let finishSlow = () => {}
  app.get('/slow', () => new Promise<string>(resolve => {
    finishSlow = () => resolve('done')
    startSlow()
  }))
  let readyAsked = () => {}
  const readyArrived = new Promise<void>(resolve => { readyAsked = resolve })
  app.addHook('onRequest', async request => { if (request.url === '/readyz') readyAsked() })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo

  // One connection, two pipelined requests: the second arrives after shutdown has begun.
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', chunk => { received += chunk })
  const socketClosed = once(socket, 'close')
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await slowStarted
  const closing = app.close()
  socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n')
  await readyArrived // the server has the second request before the first one finishes
  finishSlow()
  await closing
  await socketClosed

  const [slow, ready] = received.split(/(?=HTTP\/1\.1 )/)
  t.match(slow, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\ndone$/, 'the request in flight completes')
  t.match(ready, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  t.match(ready, /\r\nconnection: close\r\n/i, 'and the connection is closed after it')
  t.same(JSON.parse(ready.split('\r\n\r\n')[1]), { statusCode: 503, error: 'Service Unavailable', message: 'Shutting down' })
})
