import { execFileSync } from 'node:child_process'
import { readFile, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/root'
import { buildBundle, run } from '../helpers/processes'

const CLEAR_BUILD_INFO = { VERSION: '', BUILD_TIME: '', COMMIT: '' }

t.test('two builds of one commit with SOURCE_DATE_EPOCH are byte-identical', async t => {
  const dir = t.testdir()
  const env = { ...CLEAR_BUILD_INFO, SOURCE_DATE_EPOCH: '1795800000' }
  await buildBundle(join(dir, 'a'), env)
  await buildBundle(join(dir, 'b'), env)
  const [a, b] = await Promise.all(['a', 'b'].map(name => readFile(join(dir, name, 'server.cjs'))))
  t.ok(a.equals(b), 'same bytes')
  t.ok(a.includes('buildTime:"2026-11-27T17:20:00Z"'), 'build_time comes from SOURCE_DATE_EPOCH')
})

// The test image (docker build --target test) has the sources but neither git nor .git.
const gitDescribe = (() => {
  try {
    return execFileSync('git', ['describe', '--tags', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim()
  } catch {
    return undefined
  }
})()

t.test('the version comes from git, and is "dev" outside a checkout', { skip: gitDescribe === undefined && 'not a git checkout' }, async t => {
  const dir = t.testdir({ 'not-a-repository': {} })
  const { stdout: inGit } = await buildBundle(join(dir, 'a'), CLEAR_BUILD_INFO)
  t.match(inGit, `"version":"${gitDescribe}"`)
  // As in a source archive or a Docker build context: git finds no repository.
  const { stdout: outsideGit } = await buildBundle(join(dir, 'b'), { ...CLEAR_BUILD_INFO, GIT_DIR: join(dir, 'not-a-repository') })
  t.match(outsideGit, '"version":"dev"')
  t.match(outsideGit, '"commit":"unknown"')
})

t.test('--if-stale rebuilds only when a build input is newer, or the version or commit is not the one stamped; --up-to-date says which', async t => {
  const outdir = join(t.testdir(), 'dist')
  const commit = { VERSION: 'v1.0.0', BUILD_TIME: '', COMMIT: 'aaaaaaa' }
  const build = async (env: Record<string, string> = commit) =>
    (await run(process.execPath, [join(ROOT, 'scripts/build/cli.mjs'), '--outdir', outdir, '--if-stale'], { env: { ...process.env, ...env } })).stdout
  t.match(await build(), /^rebuilding .*: there is none\nbuilt /, 'missing: built')
  t.match(await build(), /is up to date/, 'fresh: kept')
  const future = new Date(Date.now() + 60_000)
  await utimes(join(outdir, 'server.cjs'), future, future)
  t.match(await build(), /is up to date/)
  const upToDate = () => run(process.execPath, [join(ROOT, 'scripts/build/cli.mjs'), '--outdir', outdir, '--up-to-date'], { env: { ...process.env, ...commit } })
    .then(() => true, () => false)
  t.equal(await upToDate(), true, '--up-to-date: exit 0')
  const past = new Date(Date.now() - 86_400_000)
  await utimes(join(outdir, 'server.cjs'), past, past)
  t.equal(await upToDate(), false, '--up-to-date: exit 1')
  t.match(await build(), /^rebuilding .*(package(-lock)?\.json|tsconfig\.json|scripts\/build\/|src\/).* changed\nbuilt /, 'stale: rebuilt')
  t.match(await build({ ...commit, VERSION: 'v1.0.0-1-gbbbbbbb', COMMIT: 'bbbbbbb' }),
    /^rebuilding .*: it was built from v1\.0\.0 \(aaaaaaa\), this is v1\.0\.0-1-gbbbbbbb \(bbbbbbb\)\nbuilt /, 'a new commit that touched no source: rebuilt')
  t.match(await readFile(join(outdir, 'server.cjs'), 'utf8'), /^\/\/ hbaas-server \{"version":"v1\.0\.0-1-gbbbbbbb",/, 'and stamped with it')
  await writeFile(join(outdir, 'server.cjs'), '"use strict";\n')
  t.match(await build(), /^rebuilding .*: it was built from no version \(no commit\), this is v1\.0\.0 \(aaaaaaa\)\nbuilt /, 'a bundle without a stamp: rebuilt')
})

t.test('the build writes an SBOM of exactly the packages inside the bundle, with versions and licences', async t => {
  const outdir = join(t.testdir(), 'dist')
  await buildBundle(outdir, { VERSION: 'v1.2.3', BUILD_TIME: '2026-11-27T17:00:00Z', COMMIT: 'abcdef1' })
  const sbom = JSON.parse(await readFile(join(outdir, 'sbom.cdx.json'), 'utf8'))
  t.match(sbom, { bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { timestamp: '2026-11-27T17:00:00Z', component: { name: 'hbaas-server', version: 'v1.2.3' } } })
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8'))
  const { dependencies, devDependencies } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
  const fullName = ({ group, name }: { group?: string, name: string }) => group ? `${group}/${name}` : name
  for (const name of ['fastify', 'pino', 'csv-parse', 'swagger-ui-dist']) {
    const component = sbom.components.find((component: { group?: string, name: string }) => fullName(component) === name)
    t.match(component, { version: lock.packages[`node_modules/${name}`].version, purl: /^pkg:npm\//, licenses: [{ expression: String }] }, name)
  }
  t.same(sbom.components.filter((component: { name: string }) => fullName(component) in devDependencies), [], 'nothing from devDependencies')
  const shipped = new Set(sbom.components.map(fullName))
  t.same(Object.keys(dependencies).filter(name => !shipped.has(name)), [], 'every runtime dependency is shipped: one used only for its types is a devDependency')
  // The same packages, as package.json files for image scanners (the Dockerfile's `contents` stage).
  const fastify = JSON.parse(await readFile(join(outdir, 'packages/node_modules/fastify/package.json'), 'utf8'))
  t.same(fastify, { name: 'fastify', version: lock.packages['node_modules/fastify'].version, license: 'MIT' })
})
