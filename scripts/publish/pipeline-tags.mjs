// Which tags the GitLab pipeline pushes, from the ref it runs for: the one rule of what each
// branch publishes (docs/ci.md has it as a table). Prints them space-separated, or nothing (and
// exits 1) for a ref that publishes nothing.
//   node scripts/publish/pipeline-tags.mjs     (reads CI_COMMIT_BRANCH, CI_COMMIT_TAG; the version from git)
import { buildInfo } from '../build/info.mjs'
import { isMain } from '../lib/main.mjs'

/**
 * The image tags a pipeline publishes: dev → the version and dev; main → the version and latest;
 * a tag vX.Y.Z → vX.Y.Z, X.Y.Z and X.Y; anything else → none (a feature branch never publishes,
 * and latest only ever comes from main).
 * @param {{ branch?: string, tag?: string, version: string }} ref
 * @returns {string[]}
 */
function pipelineTags ({ branch, tag, version }) {
  const release = tag?.match(/^v((\d+)\.(\d+)\.\d+)$/)
  if (release) return [tag, release[1], `${release[2]}.${release[3]}`]
  if (tag) return []
  if (branch === 'dev') return [version, 'dev']
  if (branch === 'main') return [version, 'latest']
  return []
}

export { pipelineTags }

if (isMain(import.meta)) {
  const tags = pipelineTags({ branch: process.env.CI_COMMIT_BRANCH, tag: process.env.CI_COMMIT_TAG, version: buildInfo().version })
  if (tags.length) {
    console.log(tags.join(' '))
  } else {
    console.error(`This ref publishes nothing (branch "${process.env.CI_COMMIT_BRANCH ?? ''}", tag "${process.env.CI_COMMIT_TAG ?? ''}"): only dev, main and vX.Y.Z tags do.`)
    process.exitCode = 1
  }
}
