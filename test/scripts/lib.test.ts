import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { BUILD_INPUTS } from '../../scripts/build/inputs.mjs'
import { bundleNodeFlags, copyBuildContext, dockerFlags, dockerfileArg, dockerfileCopies } from '../../scripts/lib/docker.mjs'
import { cpuSeconds, freePort, rssBytes, startServerProcess } from '../../scripts/lib/processes.mjs'
import { waitFor } from '../../scripts/lib/wait.mjs'
import { ROOT } from '../helpers/root'

t.test('a process\'s CPU time is what the kernel counts for it, and its memory is counted', async t => {
  // 300 ms of CPU work, however busy the machine is (wall-clock time would depend on that).
  const before = cpuSeconds(process.pid)
  const start = process.cpuUsage()
  while (process.cpuUsage(start).user < 300_000) for (let i = 0; i < 100_000; i++) Math.sqrt(i)
  const counted = cpuSeconds(process.pid) - before
  const { user, system } = process.cpuUsage(start)
  const byNode = (user + system) / 1e6
  // The kernel counts in ticks of 10 ms, for user and for system time.
  t.ok(Math.abs(counted - byNode) <= 0.05, `${counted} s counted, ${byNode} s by Node.js`)
  const rss = rssBytes(process.pid)
  t.ok(rss > 10 * 2 ** 20 && rss < 2 ** 32, `${(rss / 2 ** 20).toFixed(0)} MiB resident`)
})

t.test('waiting: the first truthy answer, a throw counts as not yet, and undefined after the deadline', async t => {
  let asked = 0
  t.equal(await waitFor(() => ++asked === 3 && 'ready', 5_000, 1), 'ready')
  t.equal(await waitFor(() => { throw new Error('not yet') }, 50, 10), undefined)
  const started = Date.now()
  t.equal(await waitFor(async () => false, 100, 20), undefined)
  t.ok(Date.now() - started >= 100, 'it waited until the deadline')
})

t.test('a server process that never answers fails its start after the timeout, and is killed', async t => {
  let pid: number | undefined
  await t.rejects(startServerProcess({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 300, onSpawn: child => { pid = child.pid } }),
    /did not answer \/healthz within 300 ms/)
  await waitFor(() => { try { process.kill(Number(pid), 0); return false } catch { return true } }, 5_000, 20)
  t.throws(() => process.kill(Number(pid), 0), { code: 'ESRCH' }, 'the process is gone')
})

t.test('a free port is one nothing listens on', async t => {
  const port = await freePort()
  t.ok(port > 1024 && port < 65536)
  await t.rejects(fetch(`http://127.0.0.1:${port}/`), 'nothing answers there')
})

t.test('the Dockerfile\'s arguments, and the Docker flags from the environment', async t => {
  t.match(dockerfileArg('RUNNER_IMAGE'), /^gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot$/)
  t.throws(() => dockerfileArg('NO_SUCH_ARG'), /the Dockerfile has no ARG NO_SUCH_ARG=/)
  const saved = process.env.DOCKER_RUN_FLAGS
  t.teardown(() => { if (saved === undefined) delete process.env.DOCKER_RUN_FLAGS; else process.env.DOCKER_RUN_FLAGS = saved })
  delete process.env.DOCKER_RUN_FLAGS
  t.same(dockerFlags('DOCKER_RUN_FLAGS'), [], 'none by default')
  t.same(dockerFlags('DOCKER_RUN_FLAGS', '--network host'), ['--network', 'host'], 'or the fallback')
  process.env.DOCKER_RUN_FLAGS = ' --pull  --no-cache '
  t.same(dockerFlags('DOCKER_RUN_FLAGS', '--network host'), ['--pull', '--no-cache'], 'the variable, when set, even empty')
})

t.test('npm start runs the bundle with the node flags of the image\'s CMD, which the tests and the benchmark use', async t => {
  const flags = bundleNodeFlags()
  t.ok(flags.includes('--enable-source-maps'), 'stack traces point at the sources')
  t.ok(flags.every(flag => flag.startsWith('--')), `only flags: ${flags.join(' ')}`)
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  t.ok(scripts.start.endsWith(` && node ${flags.join(' ')} dist/server.cjs`), scripts.start)
})

t.test('the Dockerfile\'s builder copies exactly the build\'s inputs, and the tests\' build context holds them', async t => {
  t.same(dockerfileCopies('builder').sort(), [...BUILD_INPUTS].sort())
  t.same(dockerfileCopies('runner'), [], 'the runner, the last stage, copies from the others only')
  t.throws(() => dockerfileCopies('no-such-stage'), /the Dockerfile has no stage no-such-stage/)
  const folder = mkdtempSync(join(tmpdir(), 'context-'))
  t.teardown(() => rmSync(folder, { recursive: true }))
  copyBuildContext(folder)
  for (const input of BUILD_INPUTS) t.ok(statSync(join(folder, input)), input)
  t.same(readdirSync(folder).sort(), ['.dockerignore', 'Dockerfile', 'package-lock.json', 'package.json', 'scripts', 'src', 'tsconfig.json'])
  t.same(readdirSync(join(folder, 'scripts')), ['build'], 'of scripts/, only the build')
})
