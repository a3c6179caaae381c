// What a build is stamped with, worked out in one place for the bundle (scripts/build/cli.mjs) and
// for the image (Taskfile.yml). Each value comes from the environment variable of its name when
// set, else from git:
//   VERSION            git describe --tags --always --dirty (v1.0.0, v1.0.0-2-g1a64609) as an image tag
//                      (workshop/step-3 → workshop-step-3); "dev" outside git
//   COMMIT             the short commit hash; "unknown" outside git
//   SOURCE_DATE_EPOCH  the commit's time, in seconds: two builds of one commit are the same build
//   BUILD_TIME         SOURCE_DATE_EPOCH as RFC 3339 UTC (the clock outside git)
//   GIT_BRANCH         the branch as an image tag (feature/containerise-api → feature-containerise-api); none when detached
//   SOURCE_URL         the repository's https URL, from the origin remote (git@host:org/repo.git too); none when not a URL
// `node scripts/build/info.mjs` prints them as JSON, for Task.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/**
 * The build's stamp, from `env` (process.env by default) and the git checkout at `cwd`.
 * @param {NodeJS.ProcessEnv} [env] @param {string} [cwd]
 */
function buildInfo (env = process.env, cwd = join(import.meta.dirname, '..', '..')) {
  /** @param {string[]} args */
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return '' // not a git checkout (a source archive, a Docker build context)
    }
  }
  const sourceDateEpoch = env.SOURCE_DATE_EPOCH || git('log', '-1', '--format=%ct') || String(Math.floor(Date.now() / 1000))
  return {
    // An image tag, like the branch: a tag name may hold what a tag cannot (workshop/step-3), or shell text.
    version: imageTag(env.VERSION || git('describe', '--tags', '--always', '--dirty')) || 'dev',
    commit: env.COMMIT || git('rev-parse', '--short', 'HEAD') || 'unknown',
    sourceDateEpoch,
    buildTime: env.BUILD_TIME || new Date(Number(sourceDateEpoch) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    branchTag: imageTag(env.GIT_BRANCH ?? git('branch', '--show-current')),
    sourceUrl: env.SOURCE_URL ?? httpsUrl(git('remote', 'get-url', 'origin'))
  }
}

/**
 * A name from git (a branch, a version) as an image tag: at most 128 of [A-Za-z0-9_.-], not
 * starting with . or -; anything else becomes -. @param {string} name
 */
function imageTag (name) {
  return name.replace(/[^\w.-]/g, '-').replace(/^[.-]+/, '').slice(0, 128)
}

/**
 * A git remote as the https URL of its repository, without credentials or ".git":
 * git@github.com:org/repo.git, ssh://git@github.com/org/repo and https://token@github.com/org/repo
 * all give https://github.com/org/repo. A local path or file:// URL gives "".
 * @param {string} remote
 */
function httpsUrl (remote) {
  const scp = remote.match(/^[\w.-]+@([\w.-]+):(?!\/)(.+)$/) // git@host:org/repo.git
  const url = scp ? `ssh://${scp[1]}/${scp[2]}` : remote
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (!parsed?.hostname || !['https:', 'http:', 'ssh:', 'git:'].includes(parsed.protocol)) return ''
  // An https or http remote keeps its port; the port of an ssh or git remote is not the web's.
  const host = parsed.protocol.startsWith('http') ? parsed.host : parsed.hostname
  return `https://${host}${parsed.pathname.replace(/\/$/, '').replace(/\.git$/, '')}`
}

export { buildInfo, imageTag, httpsUrl }

// (The build copies scripts/build/ alone, so this guard does not come from scripts/lib/main.mjs.)
if (process.argv[1] === import.meta.filename) console.log(JSON.stringify(buildInfo()))
