// `task image:check`: starts an image, asks it for /version from inside the container, by the
// image's own node (wherever the Docker engine runs, a remote one or a CI service, no port needs
// to reach this machine), and removes the container. Exits 0 if it answers with the version given.
//   node scripts/publish/check-image.mjs IMAGE VERSION [DOCKER_RUN_FLAGS...]
import { spawnSync } from 'node:child_process'
import { openSync } from 'node:fs'
import { join } from 'node:path'

const [image, version, ...runFlags] = process.argv.slice(2)
// docker says itself why it cannot start it (no such image, a login, a flag).
const started = spawnSync('docker', ['run', '--detach', ...runFlags, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
if (started.status !== 0) process.exit(1)
const id = started.stdout.trim()
const asked = spawnSync('docker', ['exec', '--interactive', id, '/nodejs/bin/node', '-', version],
  { stdio: [openSync(join(import.meta.dirname, 'answers-version.mjs'), 'r'), 'inherit', 'inherit'] })
spawnSync('docker', ['rm', '--force', id], { stdio: 'ignore' })
process.exitCode = asked.status === 0 ? 0 : 1
