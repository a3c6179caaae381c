import type { Test } from 'tap'
import { run } from './processes'

/** A registry the tests push to, with the login it needs, if any. */
export interface Registry {
  host: string
  user?: string
  password?: string
}

// skopeo reads registries directly, without pulling into Docker. Test registries on loopback are
// plain HTTP or use a CA of their own, hence no TLS verification.
const skopeo = async (registry: Registry, ...args: string[]) => {
  const [command, ...rest] = args
  const creds = registry.user ? ['--creds', `${registry.user}:${registry.password}`] : []
  return JSON.parse((await run('skopeo', [command, '--tls-verify=false', ...creds, ...rest], { maxBuffer: 16 * 1024 * 1024 })).stdout || 'null')
}

/** What `skopeo inspect` says of an image in the registry (its digest, labels, architecture …). */
export function inspectImage (registry: Registry, reference: string, ...flags: string[]) {
  return skopeo(registry, 'inspect', ...flags, `docker://${registry.host}/${reference}`)
}

/** The raw manifest (or index) of an image in the registry. */
export function rawManifest (registry: Registry, reference: string) {
  return skopeo(registry, 'inspect', '--raw', `docker://${registry.host}/${reference}`)
}

/** The tags of a repository in the registry; none when it does not exist. */
export async function listTags (registry: Registry, repository: string): Promise<string[]> {
  try {
    return (await skopeo(registry, 'list-tags', `docker://${registry.host}/${repository}`)).Tags ?? []
  } catch {
    return []
  }
}

/** Deletes, after the test, every tag that the test pushed to these repositories. */
export function deleteRepositoriesAfter (t: Test, registry: Registry, repositories: () => string[]) {
  t.teardown(async () => {
    for (const repository of repositories()) {
      for (const tag of await listTags(registry, repository)) {
        // Tags of one digest go together: a second delete of the same manifest finds nothing.
        await skopeo(registry, 'delete', `docker://${registry.host}/${repository}:${tag}`).catch(() => {})
      }
    }
  })
}
