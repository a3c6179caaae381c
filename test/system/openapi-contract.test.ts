import { join } from 'node:path'
import t from 'tap'
import { buildBundle, run, startServer } from '../helpers/processes'
import { hasTool } from '../helpers/tools'

// The OpenAPI document is the contract: schemathesis generates requests from it, valid and
// invalid, sends them to the running bundle and checks every answer against it.
if (hasTool(t, 'schemathesis', ['--version'], 'the API contract test needs schemathesis (pip install schemathesis)')) {
  t.test('schemathesis, with all its checks, finds nothing', async t => {
    const dir = t.testdir() // also where schemathesis keeps its cache
    await buildBundle(join(dir, 'dist'))
    const server = await startServer(t, dir, { LOG_LEVEL: 'warn' })
    const result = await run('schemathesis', ['run', `${server.url}/openapi.json`, '--checks', 'all', '--max-examples', '100', '--no-color'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 })
      .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number, stdout: string }) => error)
    t.equal(result.code, 0, result.code === 0 ? 'no failures' : result.stdout.slice(-4000))
    t.match(result.stdout, /\d+ generated, \d+ passed/)
    t.comment(result.stdout.match(/\d+ generated, \d+ passed/)?.[0] ?? '')
  })
}
