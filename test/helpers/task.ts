import { existsSync } from 'node:fs'
import { cp, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { ROOT } from './root'
import { DOCKER_BUILD_FLAGS, TEST_RUN, TEST_RUN_LABEL } from './environment'
import { run } from './processes'

// The scripts that tasks run and no image build copies: in a clone that links them, the tasks run
// this project's own, so that what they do counts in its coverage.
const LINKED_SCRIPTS = ['scripts/deploy', 'scripts/publish']

/**
 * A user's clone, made from the working tree in `repo`: tagged v1.0.0 and one commit further, on
 * the workshop's git-flow feature branch, with a GitHub remote. Resolves with its version. Unless
 * `linkScripts` is false (for jobs that run in containers, which see the clone alone), its task
 * scripts are links to this project's.
 */
export async function makeUserClone (repo: string, { linkScripts = true } = {}): Promise<{ git: (...args: string[]) => Promise<{ stdout: string }>, version: string }> {
  const git = (...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo })
  // The working tree as it is: tracked and new files, less those deleted and not yet committed.
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT })
  const linked = (file: string) => linkScripts && LINKED_SCRIPTS.some(folder => file.startsWith(`${folder}/`))
  for (const file of stdout.split('\0').filter(file => file && existsSync(join(ROOT, file)) && !linked(file))) {
    await mkdir(dirname(join(repo, file)), { recursive: true })
    await copyFile(join(ROOT, file), join(repo, file))
  }
  if (linkScripts) for (const folder of LINKED_SCRIPTS) await symlink(join(ROOT, folder), join(repo, folder))
  await git('init', '--quiet', '--initial-branch', 'main')
  await git('remote', 'add', 'origin', 'git@github.com:example/hbaas-server.git')
  await git('add', '--all')
  await git('commit', '--quiet', '--message', 'HBaaS')
  await git('tag', 'v1.0.0')
  await git('commit', '--quiet', '--allow-empty', '--message', 'One more')
  await git('checkout', '--quiet', '-b', 'feature/containerise-api')
  return { git, version: (await git('describe', '--tags')).stdout.trim() }
}

/**
 * A Docker config folder of the test's own, with `config` as its config.json (no saved logins by
 * default) and the user's buildx builders, which a new DOCKER_CONFIG would otherwise hide.
 */
export async function makeDockerConfig (dir: string, config: object = {}): Promise<string> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'config.json'), JSON.stringify(config))
  const builders = join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'buildx')
  await cp(builders, join(dir, 'buildx'), { recursive: true }).catch(() => {})
  return dir
}

// What a user may have set that would change what the tasks do.
const USER_SETTINGS = /^(VERSION|BUILD_TIME|COMMIT|SOURCE_DATE_EPOCH|SOURCE_URL|GIT_BRANCH|IMAGE_NAME|PLATFORMS|BUILDX_BUILDER|COSIGN_.*|AWS_.*|CONTAINER_.*|DOCKER_.*)$/

/**
 * Runs `task` in `repo` with none of the user's own settings, but this test run's image name,
 * label and Docker flags, and the given variables.
 */
export function taskRunner (repo: string, settings: Record<string, string>) {
  const env = (extra: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !USER_SETTINGS.test(name))),
    DOCKER_BUILD_FLAGS: [...DOCKER_BUILD_FLAGS, '--label', TEST_RUN_LABEL].join(' '),
    IMAGE_NAME: TEST_RUN,
    ...settings,
    ...extra
  })
  const task = (args: string[], extra: Record<string, string> = {}) =>
    run('task', args, { cwd: repo, env: env(extra), maxBuffer: 64 * 1024 * 1024 })
  /** Resolves with the exit code and output, also when task fails. */
  const taskResult = (args: string[], extra: Record<string, string> = {}) =>
    task(args, extra).then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number, stdout: string, stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }))
  return { task, taskResult, taskEnv: env }
}
