import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildInfo, httpsUrl, imageTag } from '../../../scripts/build/info.mjs'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'

const NO_SETTINGS = { PATH: process.env.PATH }
// The test stage of the Dockerfile has the sources, but no git.
const noGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' })
    return false
  } catch {
    return 'git is not installed here'
  }
})()

t.test('in a git checkout: the version from git describe, the commit\'s time, the branch and the remote', { skip: noGit }, async t => {
  const repo = t.testdir({ 'README.md': 'hello\n' })
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim()
  git('init', '--quiet', '--initial-branch', 'main')
  git('add', '--all')
  git('commit', '--quiet', '--message', 'one', '--date', '2026-11-27T17:00:00Z')
  git('tag', 'v1.0.0')
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '--allow-empty', '--message', 'two'],
    { cwd: repo, env: { ...process.env, GIT_COMMITTER_DATE: '2026-11-28T09:30:00Z' } })
  git('checkout', '--quiet', '-b', 'feature/containerise-api')
  git('remote', 'add', 'origin', 'git@github.com:example/hbaas-server.git')
  const commit = git('rev-parse', '--short', 'HEAD')
  t.same(buildInfo(NO_SETTINGS, repo), {
    version: `v1.0.0-1-g${commit}`,
    commit,
    sourceDateEpoch: String(Date.parse('2026-11-28T09:30:00Z') / 1000),
    buildTime: '2026-11-28T09:30:00Z',
    branchTag: 'feature-containerise-api',
    sourceUrl: 'https://github.com/example/hbaas-server'
  })
  git('checkout', '--quiet', '--detach')
  t.equal(buildInfo(NO_SETTINGS, repo).branchTag, '', 'no branch tag on a detached HEAD')
})

t.test('a tag name that is no image tag becomes one, like a branch: workshop/step-3, or shell text', { skip: noGit }, async t => {
  const repo = t.testdir({ 'README.md': 'hello\n' })
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim()
  git('init', '--quiet', '--initial-branch', 'main')
  git('add', '--all')
  git('commit', '--quiet', '--message', 'one')
  git('tag', 'workshop/step-3')
  t.equal(buildInfo(NO_SETTINGS, repo).version, 'workshop-step-3')
  git('commit', '--quiet', '--allow-empty', '--message', 'two')
  git('tag', 'x$(touch${IFS}/tmp/p)') // eslint-disable-line no-template-curly-in-string
  t.equal(buildInfo(NO_SETTINGS, repo).version, 'x--touch--IFS--tmp-p-', 'git accepts it; the version keeps no shell text')
  t.equal(buildInfo({ VERSION: '../1.0 beta' }, repo).version, '1.0-beta', 'VERSION too')
  t.equal(buildInfo({ VERSION: '///' }, repo).version, 'dev', 'nothing left: dev')
})

t.test('outside git: dev, unknown, the clock, no branch, no source', async t => {
  const folder = mkdtempSync(join(tmpdir(), 'not-a-repository-'))
  t.teardown(() => rmSync(folder, { recursive: true }))
  const before = Math.floor(Date.now() / 1000)
  const info = buildInfo(NO_SETTINGS, folder)
  t.match(info, { version: 'dev', commit: 'unknown', branchTag: '', sourceUrl: '' })
  t.ok(Number(info.sourceDateEpoch) >= before && Number(info.sourceDateEpoch) <= Date.now() / 1000 + 1, 'now')
})

t.test('the environment overrides each value', async t => {
  const env = { VERSION: 'v9', COMMIT: 'abc1234', SOURCE_DATE_EPOCH: '1795800000', GIT_BRANCH: 'release/9', SOURCE_URL: 'https://example.com/x' }
  t.same(buildInfo(env, ROOT), { version: 'v9', commit: 'abc1234', sourceDateEpoch: '1795800000', buildTime: '2026-11-27T17:20:00Z', branchTag: 'release-9', sourceUrl: 'https://example.com/x' })
  t.equal(buildInfo({ ...env, BUILD_TIME: '2026-01-01T00:00:00Z' }, ROOT).buildTime, '2026-01-01T00:00:00Z')
})

t.test('a remote becomes the https URL of its repository, or nothing', async t => {
  const cases: Array<[string, string]> = [
    ['git@github.com:org/repo.git', 'https://github.com/org/repo'],
    ['ssh://git@github.com:2222/org/repo.git', 'https://github.com/org/repo'],
    ['https://user:token@gitlab.example.com:8443/org/repo.git', 'https://gitlab.example.com:8443/org/repo'],
    ['http://git.example.com/org/repo/', 'https://git.example.com/org/repo'],
    ['git://git.example.com/org/repo.git', 'https://git.example.com/org/repo'],
    ['/srv/git/repo.git', ''], ['../repo', ''], ['file:///srv/git/repo', ''], ['C:/repos/x', ''], ['', '']
  ]
  for (const [remote, url] of cases) t.equal(httpsUrl(remote), url, remote)
})

t.test('a branch becomes a valid image tag', async t => {
  t.equal(imageTag('feature/containerise-api'), 'feature-containerise-api')
  t.equal(imageTag('.hidden/-x'), 'hidden--x')
  t.equal(imageTag('x'.repeat(200)), 'x'.repeat(128))
})

t.test('run as a script, it prints the stamp as JSON, for Task', async t => {
  const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/build/info.mjs')], { env: { ...process.env, VERSION: 'v2', COMMIT: 'def5678' } })
  t.match(JSON.parse(stdout), { version: 'v2', commit: 'def5678' })
})
