import { once } from 'node:events'
import { connect } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { exchange } from '../../scripts/lib/http.mjs'
import { buildBundle, startServer, type RunningServer } from '../helpers/processes'

// Hostile and malformed requests, sent as raw bytes to the real bundle on loopback. Whatever
// arrives, the server answers with no 5xx, errors in the JSON error shape, no internals in any
// body, and stays up to serve the next valid request.
const dir = t.testdir()
let server: RunningServer
let port: number
t.before(async () => {
  await buildBundle(join(dir, 'dist'))
  server = await startServer(t, dir, { LOG_LEVEL: 'warn' })
  port = Number(new URL(server.url).port)
})

const send = (raw: string | Buffer, timeoutMs?: number) => exchange(port, raw, timeoutMs)

const request = (method: string, target: string, headers: string[] = [], version = 'HTTP/1.1', body = '') =>
  `${method} ${target} ${version}\r\nHost: localhost\r\n${[...headers, 'Connection: close'].map(h => `${h}\r\n`).join('')}\r\n${body}`

const long = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / unit.length))

const TARGETS = [
  '/', '/name/Ada', '/date/25-December', '/date/today?tz=Europe/London', '/version', '/healthz', '/readyz', '/openapi.json',
  // over-long paths and parameters
  `/${long('a', 10_000)}`, `/name/${long('x', 12_000)}`, `/date/${long('9', 11_000)}`, `/name/${long('%2F', 9_000)}`,
  `/date/today?tz=${long('A', 10_000)}`, `/?${long('a=1&', 12_000)}`, `/${long('a', 20_000)}`,
  // percent-encoded slashes, NUL bytes, invalid percent-encoding
  '/name/a%2Fb', '/name/%2F..%2F..%2Fetc%2Fpasswd', '/name/%00', '/name/Ada%00Lovelace', '/date/25%00-December', '/date/%00',
  '/name/%', '/name/%E0%A4%A', '/name/%ZZ', '/date/%', '/date/25-Dec%', '/%', '/docs/static/%C0%AE%C0%AE%2Fpackage.json',
  // unicode, right-to-left marks, control characters (encoded)
  '/name/%E2%80%AEevil%E2%80%AC', '/name/%E2%80%8F%D7%A9%D7%9C%D7%95%D7%9D', '/name/%F0%9F%8E%82', `/name/${long('%F0%9F%8E%82', 1212)}`,
  '/name/%1B%5B31mred', '/name/%7F', '/name/%C2%85', '/name/%EF%BB%BFAda', '/date/%EF%BC%92%EF%BC%95-December',
  // dot segments and path tricks
  '/../../etc/passwd', '/name/../version', '/./version', '//version', '/version/', '/VERSION', '/version;x', '/version%20',
  '/docs/static/..%2F..%2Fpackage.json', '/docs/static/%2e%2e/server.cjs', '/docs/static/server.cjs', '/docs/static/',
  '/docs/static/constructor', '/docs/static/__proto__',
  // query strings
  '/date/today?tz=../../etc/passwd', '/date/today?tz=%00', '/date/today?tz=Europe/London&tz=UTC', '/date/today?tz[]=UTC',
  '/date/today?__proto__[x]=1', '/openapi.json?x=<script>', '/name/<script>alert(1)</script>', "/name/'%3B%20DROP%20TABLE%20people%3B--",
  // absolute and odd request targets
  'http://localhost/version', '*', 'version'
]

t.test('a corpus of hostile requests: no 5xx, JSON errors, no internals, still serving', async t => {
  const corpus: Array<[string, string | Buffer]> = []
  for (const target of TARGETS) {
    for (const method of ['GET', 'HEAD', 'POST']) corpus.push([`${method} ${target.slice(0, 60)}`, request(method, target)])
  }
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'QUERY', 'SEARCH', 'FOO', 'get', 'G ET', '']) {
    corpus.push([`method ${JSON.stringify(method)}`, request(method, '/name/Ada')])
  }
  const headerCases: Array<[string, string[]]> = [
    ['huge header', [`X-Big: ${long('x', 20_000)}`]],
    ['many headers', Array.from({ length: 500 }, (_, i) => `X-H${i}: ${i}`)],
    ['headers just under the limit', [`X-Big: ${long('x', 15_000)}`]],
    ['duplicate Host', ['Host: evil.example']],
    ['duplicate x-request-id', ['x-request-id: a', 'x-request-id: b']],
    ['long x-request-id', [`x-request-id: ${long('r', 5000)}`]],
    ['x-request-id with spaces', ['x-request-id: has spaces and "quotes"']],
    ['x-request-id with a control character', ['x-request-id: a\x01b']],
    ['x-request-id that looks like JSON', ['x-request-id: {"level":60,"msg":"forged"}']],
    ['header with a NUL', ['X-Nul: a\x00b']],
    ['header without a colon', ['NoColonHere']],
    ['header name with a space', ['Bad Name: x']],
    ['obsolete line folding', ['X-Fold: a', ' continued']],
    ['bad Content-Length', ['Content-Length: abc']],
    ['negative Content-Length', ['Content-Length: -1']],
    ['two Content-Lengths', ['Content-Length: 1', 'Content-Length: 2']],
    ['Content-Length and chunked', ['Content-Length: 5', 'Transfer-Encoding: chunked']],
    ['bad chunked body', ['Transfer-Encoding: chunked']],
    ['unknown Transfer-Encoding', ['Transfer-Encoding: gzip, zstd']],
    ['Expect: 100-continue', ['Expect: 100-continue']],
    ['absurd Accept', [`Accept: ${long('text/html;q=0.1,', 8000)}`]],
    ['Range request', ['Range: bytes=0-10']],
    ['Upgrade: websocket', ['Upgrade: websocket', 'Connection: Upgrade']],
    ['X-Forwarded-For spoofing', ['X-Forwarded-For: 127.0.0.1, evil']]
  ]
  for (const [name, headers] of headerCases) corpus.push([name, request('GET', '/name/Ada', headers)])
  corpus.push(
    ['body on GET', request('GET', '/date/25-December', ['Content-Type: application/json', 'Content-Length: 11'], 'HTTP/1.1', '{"evil":1}\n')],
    ['big body on GET', request('GET', '/date/25-December', ['Content-Type: text/plain', 'Content-Length: 100000'], 'HTTP/1.1', long('b', 100_000))],
    ['body on POST', request('POST', '/name/Ada', ['Content-Type: application/json', 'Content-Length: 2'], 'HTTP/1.1', '{}')],
    ['chunked garbage', request('GET', '/', ['Transfer-Encoding: chunked'], 'HTTP/1.1', 'zz\r\nnope\r\n')],
    ['HTTP/1.0', request('GET', '/date/25-December', [], 'HTTP/1.0')],
    ['HTTP/1.0 without Host', 'GET /version HTTP/1.0\r\n\r\n'],
    ['HTTP/1.1 without Host', 'GET /version HTTP/1.1\r\nConnection: close\r\n\r\n'],
    ['HTTP/0.9', 'GET /\r\n'],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['HTTP/3.0', request('GET', '/', [], 'HTTP/3.0')],
    ['no version', 'GET /version\r\n\r\n'],
    ['bare LF line endings', 'GET /version HTTP/1.1\nHost: x\nConnection: close\n\n'],
    ['TLS handshake on plain HTTP', Buffer.from('160301020001000100', 'hex')],
    ['binary garbage', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256))],
    ['only CRLFs', '\r\n\r\n\r\n\r\n'],
    ['raw RTL and unicode in the request line', Buffer.from('GET /name/\u202Eevil\u05e9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')],
    ['raw control character in the path', 'GET /name/a\x01b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['raw space in the path', 'GET /name/a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']
  )
  t.comment(`${corpus.length} hostile requests`)

  const statuses: Record<string, number> = {}
  for (const [name, raw] of corpus) {
    const answer = await send(raw)
    statuses[answer.status ?? 'none'] = (statuses[answer.status ?? 'none'] ?? 0) + 1
    if (answer.status !== undefined && answer.status >= 500) t.fail(`${name}: ${answer.status}`)
    if (answer.status !== undefined && answer.status >= 400 && !name.startsWith('HEAD')) {
      let body: unknown
      try {
        body = JSON.parse(answer.body)
      } catch {
        t.fail(`${name}: the ${answer.status} body is not JSON: ${answer.body.slice(0, 100)}`)
      }
      if (body !== undefined) t.match(body, { statusCode: answer.status, error: String, message: String }, `${name}: the error shape`)
    }
    // Stack frames, the server's own paths or error names: what a request can never put there.
    if (/\bat \S+ \(|node_modules|\.(ts|cjs):\d|Error: /.test(answer.body) || answer.body.includes(dir)) t.fail(`${name}: internals in the body: ${answer.body.slice(0, 200)}`)
    const healthy = await fetch(`${server.url}/healthz`).then(res => res.status, () => 0)
    if (healthy !== 200) t.fail(`${name}: the server no longer serves (${healthy})`)
  }
  t.comment(`statuses: ${JSON.stringify(statuses)}`)
  t.equal(server.child.exitCode, null, 'the process is still up')
  t.equal((await fetch(`${server.url}/date/25-December`)).status, 200, 'and serves the next valid request')
})

t.test('pipelined requests are answered in order', async t => {
  const pipelined = ['/version', '/date/25-December', '/nope', '/name/Ada']
    .map((target, i, all) => `GET ${target} HTTP/1.1\r\nHost: x\r\n${i === all.length - 1 ? 'Connection: close\r\n' : ''}\r\n`).join('')
  const answer = await send(pipelined)
  t.same([...answer.raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map(match => Number(match[1])), [200, 200, 404, 200])
  t.match(answer.raw, '{"message":"Happy birthday Ada!"}')
})

t.test('a slow client (slowloris) is cut off', async t => {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  let received = ''
  socket.on('data', chunk => { received += chunk })
  const closed = once(socket, 'close')
  socket.write('GET /version HTTP/1.1\r\nHost: x\r\n')
  const started = Date.now()
  const drip = setInterval(() => socket.write('X-Slow: a\r\n'), 500)
  await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 15_000))])
  clearInterval(drip)
  socket.destroy()
  const elapsed = Date.now() - started
  t.ok(elapsed < 12_000, `the connection was closed after ${elapsed} ms`)
  t.match(received, /^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*"statusCode":408/, 'with a 408 in the error shape')
  t.equal((await fetch(`${server.url}/healthz`)).status, 200, 'and the server still serves')
})
