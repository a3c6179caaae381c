import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'

t.test('after a push: the digest from buildx\'s metadata, printed as REPOSITORY@sha256:…, and kept in a file', async t => {
  const dir = t.testdir({ 'metadata.json': JSON.stringify({ 'containerimage.digest': 'sha256:0123abcd', 'image.name': 'ignored' }) })
  const pushed = (args: string[]) => run(process.execPath, [join(ROOT, 'scripts/publish/pushed.mjs'), ...args], { cwd: dir })
  await mkdir(join(dir, '.task'))
  t.equal((await pushed(['r.example.com:5000/team/app', 'metadata.json'])).stdout, 'Pushed r.example.com:5000/team/app@sha256:0123abcd\n')
  t.equal(await readFile(join(dir, '.task/image-ref'), 'utf8'), 'r.example.com:5000/team/app@sha256:0123abcd\n', 'in .task/image-ref by default')
  await writeFile(join(dir, 'metadata.json'), JSON.stringify({ 'containerimage.digest': 'sha256:ffff' }))
  await pushed(['r.example.com/tools', 'metadata.json', 'tools-ref'])
  t.equal(await readFile(join(dir, 'tools-ref'), 'utf8'), 'r.example.com/tools@sha256:ffff\n', 'or in the file named')
})
