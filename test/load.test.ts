import { readFileSync } from 'node:fs'
import { Agent, get, type IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import autocannon from 'autocannon'
import t from 'tap'
import { buildBundle, startServer } from './helpers/processes'

// Load and shutdown against the real bundle, on loopback, bounded in count and time.
const dir = t.testdir()
t.before(async () => { await buildBundle(join(dir, 'dist')) })

const rssOf = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1]) * 1024
const load = (url: string, seconds: number) => autocannon({ url: `${url}/date/25-December`, connections: 50, duration: seconds })

t.test('20 s at full rate: no errors, only 2xx, and memory stays flat', async t => {
  const server = await startServer(t, dir, { LOG_LEVEL: 'warn' })
  await load(server.url, 3) // warm-up
  const rssAfterWarmUp = rssOf(server.child.pid!)
  const result = await load(server.url, 20)
  const rssAtEnd = rssOf(server.child.pid!)
  t.comment(`${Math.round(result.requests.average)} requests/s; RSS ${(rssAfterWarmUp / 2 ** 20).toFixed(1)} → ${(rssAtEnd / 2 ** 20).toFixed(1)} MiB`)
  t.ok(result.requests.total > 0)
  t.equal(result.errors, 0, 'no errors')
  t.equal(result.timeouts, 0, 'no timeouts')
  t.equal(result.non2xx, 0, 'no non-2xx')
  t.ok(rssAtEnd <= rssAfterWarmUp * 1.2, 'RSS at the end within 20 % of RSS after warm-up')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('SIGTERM with 100 requests in flight: all complete with 200, new connections are turned away, exit 0 within 3 s', async t => {
  const server = await startServer(t, dir, { LOG_LEVEL: 'warn' })
  const asset = `${server.url}/docs/static/swagger-ui-bundle.js`
  const expectedLength = (await (await fetch(asset)).arrayBuffer()).byteLength

  // 100 downloads of a 1.7 MB file, on keep-alive connections, by clients that stop reading after
  // the first bytes: the server is mid-response on every one of them.
  const agent = new Agent({ keepAlive: true, maxSockets: 100 })
  const responses = await Promise.all(Array.from({ length: 100 }, () => new Promise<IncomingMessage>((resolve, reject) => {
    get(asset, { agent }, response => resolve(response.pause())).on('error', reject)
  })))
  const downloads = responses.map(response => new Promise<{ status?: number, bytes: number }>((resolve, reject) => {
    let bytes = 0
    response.on('data', chunk => { bytes += chunk.length }).on('end', () => resolve({ status: response.statusCode, bytes })).on('error', reject)
  }))
  await setTimeout(300)

  const stopping = Date.now()
  server.child.kill('SIGTERM')
  await setTimeout(200)
  const newcomer = await fetch(`${server.url}/date/25-December`).then(res => res.status, (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message)
  t.ok(newcomer === 503 || newcomer === 'ECONNREFUSED', `a new connection is turned away (${newcomer})`)

  for (const response of responses) response.resume()
  const results = await Promise.all(downloads)
  t.same(results.map(result => result.status), Array(100).fill(200), 'every request in flight completes with 200')
  t.same(results.filter(result => result.bytes !== expectedLength), [], 'with its whole body')
  t.equal(await server.exited, 0, 'exit code 0')
  t.ok(Date.now() - stopping < 3000, `exited ${Date.now() - stopping} ms after SIGTERM, keep-alive connections and all`)
  agent.destroy()
})
