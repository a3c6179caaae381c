import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import t from 'tap'
import { overlay, peopleFileProblem } from '../../../scripts/deploy/overlay.mjs'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'

const BASE = join(ROOT, 'deploy/kubernetes')

t.test('the overlay: the base in a namespace, with the image, the NodePort and only the components asked for', async t => {
  const out = join(ROOT, '.task/deploy')
  const at = (folder: string) => relative(out, join(BASE, folder))
  t.same(overlay({ out, namespace: 'hbaas', image: '127.0.0.1:5000/team/hbaas-server:v1.0.0-1-gabc1234', nodePort: 30080 }), {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: 'hbaas',
    resources: [at('.')],
    images: [{ name: 'hbaas-server', newName: '127.0.0.1:5000/team/hbaas-server', newTag: 'v1.0.0-1-gabc1234' }],
    components: [at('components/node-port')],
    patches: [{ target: { kind: 'Service', name: 'hbaas-server' }, patch: '[{"op":"replace","path":"/spec/ports/0/nodePort","value":30080}]' }]
  }, 'a registry\'s port is not the tag')
  t.same(overlay({ out, namespace: 'hbaas', image: '127.0.0.1:5000/team/hbaas-server@sha256:0123abcd', nodePort: 30080 }).images,
    [{ name: 'hbaas-server', newName: '127.0.0.1:5000/team/hbaas-server', digest: 'sha256:0123abcd' }], 'an image by its digest')
  const full = overlay({ out, namespace: 'team', image: 'registry.example.com/hbaas-server:v2', nodePort: 31000, pullSecret: 'registry-login', peopleFile: 'team.csv', serviceMonitor: true })
  t.same(full.components, [at('components/node-port'), at('components/pull-secret'), at('components/people'), at('components/service-monitor')])
  t.same(full.patches[1], { target: { kind: 'Deployment', name: 'hbaas-server' }, patch: '[{"op":"replace","path":"/spec/template/spec/imagePullSecrets/0/name","value":"registry-login"}]' })
  t.same(full.configMapGenerator, [{ name: 'hbaas-people', files: ['people.csv'], options: { labels: { 'app.kubernetes.io/name': 'hbaas-server', 'app.kubernetes.io/component': 'people' } } }],
    'labelled, so that undeploy and the next deploy find it')
})

t.test('from the command line: the overlay\'s folder with its kustomization and the people file', async t => {
  const dir = t.testdir({ 'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n', deploy: { 'left-over.yaml': 'x' } })
  const out = join(dir, 'deploy')
  await run(process.execPath, [join(ROOT, 'scripts/deploy/overlay.mjs'), '--out', out, '--namespace', 'team', '--image', 'r.example.com/hbaas-server:v2',
    '--node-port', '31000', '--pull-secret', '', '--people-file', join(dir, 'team.csv'), '--service-monitor', 'true'])
  const text = await readFile(join(out, 'kustomization.yaml'), 'utf8')
  t.match(text, /^# Written by task k8s:deploy/)
  t.match(JSON.parse(text.slice(text.indexOf('\n'))), { namespace: 'team', images: [{ newTag: 'v2' }], configMapGenerator: [{ files: ['people.csv'] }], components: [/node-port$/, /people$/, /service-monitor$/] })
  t.equal(await readFile(join(out, 'people.csv'), 'utf8'), 'name,birth_date\nAda Lovelace,1815-12-10\n')
  await t.rejects(readFile(join(out, 'left-over.yaml')), 'a folder of its own, written anew')
  await run(process.execPath, [join(ROOT, 'scripts/deploy/overlay.mjs'), '--out', out, '--image', 'r.example.com/hbaas-server:v3'])
  t.same(JSON.parse((await readFile(join(out, 'kustomization.yaml'), 'utf8')).replace(/^#.*\n/, '')).components, [relative(out, join(BASE, 'components/node-port'))], 'the defaults: the NodePort alone')
})

t.test('a people file too big for a ConfigMap (1 MiB) is refused in one line, before anything is written', async t => {
  t.equal(peopleFileProblem('team.csv', 1024 * 1024 - 'people.csv'.length), undefined, 'up to 1 MiB with its key')
  t.match(peopleFileProblem('team.csv', 1024 * 1024), /^K8S_PEOPLE_FILE team\.csv is 1\.0 MiB, but a ConfigMap holds at most 1 MiB \(about 30,000 people\): build an image FROM this one/)
  const dir = t.testdir({ 'big.csv': 'x'.repeat(2 * 1024 * 1024), deploy: { 'left-over.yaml': 'x' } })
  const refused = await run(process.execPath, [join(ROOT, 'scripts/deploy/overlay.mjs'), '--out', join(dir, 'deploy'), '--image', 'r.example.com/hbaas-server:v2',
    '--people-file', join(dir, 'big.csv')]).catch((error: { code: number, stderr: string }) => error)
  t.match(refused, { code: 1, stderr: /^K8S_PEOPLE_FILE .*big\.csv is 2\.0 MiB, but a ConfigMap holds at most 1 MiB[^\n]*\n$/ })
  t.equal(await readFile(join(dir, 'deploy/left-over.yaml'), 'utf8'), 'x', 'the overlay\'s folder is as it was')
})
