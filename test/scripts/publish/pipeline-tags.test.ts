import { join } from 'node:path'
import t from 'tap'
import { pipelineTags } from '../../../scripts/publish/pipeline-tags.mjs'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'

t.test('what each ref publishes: dev and main their branch\'s tag and the version, a release three tags, anything else nothing', async t => {
  const version = 'v1.2.0-3-gabc1234'
  t.same(pipelineTags({ branch: 'dev', version }), [version, 'dev'])
  t.same(pipelineTags({ branch: 'main', version }), [version, 'latest'], 'latest only ever from main')
  t.same(pipelineTags({ tag: 'v1.2.3', version: 'v1.2.3' }), ['v1.2.3', '1.2.3', '1.2'])
  t.same(pipelineTags({ tag: 'v10.20.30', version: 'v10.20.30' }), ['v10.20.30', '10.20.30', '10.20'])
  for (const branch of ['feature/containerise-api', 'release/1.2', 'hotfix/x', 'devel', 'mainline']) t.same(pipelineTags({ branch, version }), [], branch)
  for (const tag of ['v1.2', '1.2.3', 'v1.2.3-rc.1', 'latest']) t.same(pipelineTags({ tag, version }), [], `tag ${tag}`)
})

t.test('from the command line: the tags, or one line and exit 1', async t => {
  const script = join(ROOT, 'scripts/publish/pipeline-tags.mjs')
  const env = (extra: Record<string, string>) => ({ env: { PATH: process.env.PATH, VERSION: 'v1.2.0-3-gabc1234', ...extra } })
  t.equal((await run(process.execPath, [script], env({ CI_COMMIT_BRANCH: 'dev' }))).stdout, 'v1.2.0-3-gabc1234 dev\n')
  await t.rejects(run(process.execPath, [script], env({ CI_COMMIT_BRANCH: 'feature/x' })),
    { code: 1, stderr: 'This ref publishes nothing (branch "feature/x", tag ""): only dev, main and vX.Y.Z tags do.\n' })
  await t.rejects(run(process.execPath, [script], env({})), { code: 1, stderr: /branch "", tag ""/ })
})
