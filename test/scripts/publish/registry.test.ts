import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { explainPushFailure, isEcr, registryAnswers, registryNameProblem } from '../../../scripts/publish/registry.mjs'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'
import { freePort } from '../../../scripts/lib/processes.mjs'

const ECR_HOST = '123456789012.dkr.ecr.eu-west-2.amazonaws.com'
const SCRIPT = join(ROOT, 'scripts/publish/registry.mjs')

t.test('a registry is a host, with a port if it needs one: no scheme, no path', async t => {
  for (const name of [ECR_HOST, 'registry.example.com', 'localhost:5000', '127.0.0.1:5443', '[::1]:5000', 'ghcr.io']) {
    t.equal(registryNameProblem(name), undefined, name)
  }
  for (const name of ['https://registry.example.com', 'registry.example.com/', 'ghcr.io/org', 'host:port', '-x.example.com', '', 'a b']) {
    t.match(registryNameProblem(name), `CONTAINER_REGISTRY is "${name}" but must be a registry's host, with a port if it needs one (registry.example.com, 127.0.0.1:5000): no https://, no path`, name)
  }
  t.equal(isEcr(ECR_HOST), true)
  t.equal(isEcr('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'), true)
  t.equal(isEcr('127.0.0.1:5000'), false)
})

t.test('a registry answers when anything answers its address: an HTTP registry, a TLS one, even with an error', async t => {
  const server = createServer(socket => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n')).listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const { port } = server.address() as { port: number }
  t.equal(await registryAnswers(`127.0.0.1:${port}`), undefined, 'plain HTTP: its answer to TLS is an error, but an answer')
  const closed = await freePort()
  t.equal(await registryAnswers(`127.0.0.1:${closed}`), `The registry 127.0.0.1:${closed} does not answer (connect ECONNREFUSED 127.0.0.1:${closed}): check CONTAINER_REGISTRY, or start the registry.`)
  t.match(await registryAnswers(`[::1]:${closed}`), /does not answer \(connect (ECONNREFUSED|EADDRNOTAVAIL) ::1/, 'an IPv6 address')
})

t.test('a registry that takes the connection but never answers is given up on after the timeout', async t => {
  const sockets: Socket[] = []
  const silent = createServer(socket => { sockets.push(socket) }).listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.teardown(() => { for (const socket of sockets) socket.destroy(); silent.close() })
  const { port } = silent.address() as { port: number }
  t.equal(await registryAnswers(`127.0.0.1:${port}`, 300), `The registry 127.0.0.1:${port} does not answer (no answer within 0.3 s): check CONTAINER_REGISTRY, or start the registry.`)
})

t.test('behind a proxy the registry is not asked: Docker may reach it through the proxy', async t => {
  const saved = process.env.HTTPS_PROXY
  process.env.HTTPS_PROXY = 'http://127.0.0.1:3128'
  t.teardown(() => { if (saved === undefined) delete process.env.HTTPS_PROXY; else process.env.HTTPS_PROXY = saved })
  t.equal(await registryAnswers(`127.0.0.1:${await freePort()}`), undefined)
})

t.test('a failed push is explained by what the build printed', async t => {
  const explain = (output: string, registry = '127.0.0.1:5443') => explainPushFailure(output, registry)
  t.equal(explain('ERROR: failed to push 127.0.0.1:5443/x:latest: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized'),
    'Push to 127.0.0.1:5443 failed. Not logged in to 127.0.0.1:5443: run `docker login 127.0.0.1:5443`.')
  t.equal(explain('error: no basic auth credentials', ECR_HOST),
    `Push to ${ECR_HOST} failed. Not logged in to ${ECR_HOST}, or the login has expired (it lasts 12 hours): run \`task ecr:login\`, or use the ECR credential helper (docs/publishing.md, "Logging in").`,
    'ECR: its own login, and no docker login')
  t.match(explain('denied: Your authorization token has expired. Reauthenticate and try again.', ECR_HOST), 'task ecr:login')
  t.match(explain('denied: User: arn:aws:iam::123456789012:user/me is not authorized to perform: ecr:InitiateLayerUpload', ECR_HOST), 'Your AWS identity may not push to ECR')
  t.match(explain("name unknown: The repository with name 'go-with-the-flow/x' does not exist in the registry with id '123456789012'", ECR_HOST), 'The ECR repository does not exist: run `task ecr:create-repository` first.')
  t.match(explain('name unknown: repository name not known to registry'), '127.0.0.1:5443 has no such repository')
  t.match(explain('ERROR: Multi-platform build is not supported for the docker driver.'), 'This builder cannot build several platforms at once')
  t.match(explain('tls: failed to verify certificate: x509: certificate signed by unknown authority'), 'Docker does not trust 127.0.0.1:5443\'s TLS certificate')
  t.match(explain('dial tcp 127.0.0.1:5443: connect: connection refused'), 'The connection to 127.0.0.1:5443 failed during the push')
  t.equal(explain('ERROR: failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2'),
    'Building or pushing to 127.0.0.1:5443 failed: see the error above.', 'a failed build is not a login problem')
})

t.test('from the command line: check stops with one line, explain reads the build output', async t => {
  const closed = await freePort()
  await t.rejects(run(process.execPath, [SCRIPT, 'check', `127.0.0.1:${closed}`]), { code: 1, stderr: `The registry 127.0.0.1:${closed} does not answer (connect ECONNREFUSED 127.0.0.1:${closed}): check CONTAINER_REGISTRY, or start the registry.\n` })
  await t.rejects(run(process.execPath, [SCRIPT, 'check', 'https://registry.example.com']), { code: 1, stderr: /^CONTAINER_REGISTRY is "https:\/\/registry.example.com" but must be/ })
  const server = createServer(socket => socket.end()).listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  t.match(await run(process.execPath, [SCRIPT, 'check', `127.0.0.1:${(server.address() as { port: number }).port}`]), { stdout: '', stderr: '' })
  const explained = spawn(process.execPath, [SCRIPT, 'explain', ECR_HOST], { stdio: ['pipe', 'ignore', 'pipe'] })
  let stderr = ''
  explained.stderr.on('data', chunk => { stderr += chunk })
  explained.stdin.end('ERROR: no basic auth credentials\n')
  t.equal((await once(explained, 'exit'))[0], 0)
  t.match(stderr, 'run `task ecr:login`')
})
