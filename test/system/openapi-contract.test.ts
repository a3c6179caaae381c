import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/root'
import { buildBundle, run, startServer } from '../helpers/processes'
import { hasTool } from '../helpers/environment'

// The OpenAPI document is the contract: schemathesis generates requests from it, valid and
// invalid, sends them to the running bundle and checks every answer against it.
if (hasTool(t, 'schemathesis', ['--version'], 'the API contract test needs schemathesis (pip install schemathesis)')) {
  t.test('schemathesis, with all its checks, finds nothing', async t => {
    const dir = t.testdir() // also where schemathesis keeps its cache
    await buildBundle(join(dir, 'dist'))
    const server = await startServer(t, dir, { LOG_LEVEL: 'warn' })
    // A fixed seed, as for every property test here: each run sends the same requests.
    const args = ['--config-file', join(ROOT, 'schemathesis.toml'), 'run', `${server.url}/openapi.json`,
      '--checks', 'all', '--max-examples', '100', '--seed', '20261128', '--no-color']
    const result = await run('schemathesis', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 })
      .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number, stdout: string }) => error)
    t.equal(result.code, 0, result.code === 0 ? 'no failures' : result.stdout.slice(-4000))
    t.match(result.stdout, /\d+ generated, \d+ passed/)
    t.notMatch(result.stdout, /WARNINGS/, 'and no warnings (such as a content type the document does not list)')
    t.comment(result.stdout.match(/\d+ generated, \d+ passed/)?.[0] ?? '')
  })
}
