import t from 'tap'
import { buildTestApp } from '../helpers/app'
import { listenOnLoopback } from '../helpers/http'
import { exchange } from '../../scripts/lib/http.mjs'

t.test('an unknown route is a 404 in the JSON error shape', async t => {
  const app = await buildTestApp(t)
  for (const [method, url] of [['GET', '/nope'], ['GET', '/date'], ['POST', '/nope'], ['DELETE', '/name/Ada/more']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
    // What was asked, and where the routes are listed.
    const { message } = res.json()
    t.match(res.json(), { statusCode: 404, error: 'Not Found' })
    t.ok(message.includes(`${method} ${url}`) && message.includes('/docs'), message)
  }
})

t.test('another method on a known path is a 405 that says to use GET', async t => {
  const app = await buildTestApp(t)
  for (const [method, url, path] of [['POST', '/name/Ada', '/name/Ada'], ['DELETE', '/', '/'], ['PUT', '/date/today?tz=UTC', '/date/today'], ['QUERY', '/version', '/version']] as const) {
    const res = await app.inject({ method, url, payload: method === 'DELETE' ? undefined : '{}' })
    t.equal(res.statusCode, 405, `${method} ${url}`)
    t.equal(res.headers.allow, 'GET, HEAD')
    // The method refused, the path, and the method to use.
    const { message } = res.json()
    t.match(res.json(), { statusCode: 405, error: 'Method Not Allowed' })
    t.ok(message.includes(method) && message.includes(path) && /\bGET\b/.test(message), message)
  }
})

t.test('an HTTP/1.1 request without a Host header is a 400 in the same shape', async t => {
  const app = await buildTestApp(t)
  const { status, body } = await exchange(await listenOnLoopback(app), 'GET /version HTTP/1.1\r\nConnection: close\r\n\r\n')
  t.equal(status, 400)
  t.match(JSON.parse(body), { statusCode: 400, error: 'Bad Request', message: /Host header/ })
})
