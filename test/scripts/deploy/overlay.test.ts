import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parseAllDocuments } from 'yaml'
import { peopleFileProblem } from '../../../scripts/deploy/overlay.mjs'
import { hasTool } from '../../helpers/environment'
import { ROOT } from '../../helpers/root'
import { run } from '../../helpers/processes'

// What `task k8s:deploy` applies: the thin kustomization that scripts/deploy/overlay.mjs writes on
// an environment's overlay, built by kubectl's kustomize as the deploy builds it, and read as the
// cluster would get it.
const OVERLAY = join(ROOT, 'scripts/deploy/overlay.mjs')
const STAGING = join(ROOT, 'deploy/kubernetes/overlays/staging')
const PRODUCTION = join(ROOT, 'deploy/kubernetes/overlays/production')

type Manifest = { kind: string, metadata: { name: string, namespace?: string, labels?: Record<string, string> }, spec?: any, data?: Record<string, string> }

/** The objects kustomize builds from the kustomization the script writes, with args, into a folder of the test's own that holds files. */
async function built (t: Test, args: (dir: string) => string[], files: Record<string, string> = {}) {
  const dir = t.testdir(files)
  const out = join(dir, 'deploy')
  // Production's overlay unless the args name another (the last one given counts).
  await run(process.execPath, [OVERLAY, '--out', out, '--overlay', PRODUCTION, ...args(dir)])
  const { stdout } = await run('kubectl', ['kustomize', out])
  const objects = parseAllDocuments(stdout).map(document => document.toJS() as Manifest)
  const one = (kind: string) => objects.find(object => object.kind === kind) as Manifest
  return { out, objects, one, deployment: one('Deployment'), service: one('Service') }
}

if (hasTool(t, 'kubectl', ['version', '--client'], 'the overlay is built with kubectl\'s kustomize, as k8s:deploy builds it')) {
  t.test('production\'s overlay: its NodePort, the image by tag or digest, nothing optional', async t => {
    const { objects, deployment, service } = await built(t, () => ['--namespace', 'hbaas', '--image', '127.0.0.1:5000/team/hbaas-server:v1.0.0-1-gabc1234'])
    t.same([...new Set(objects.map(object => object.metadata.namespace))], ['hbaas'], 'every object in namespace hbaas')
    t.equal(deployment.spec.template.spec.containers[0].image, '127.0.0.1:5000/team/hbaas-server:v1.0.0-1-gabc1234', 'a registry\'s port is not the tag')
    t.equal(deployment.spec.replicas, 3)
    t.match(service.spec, { type: 'NodePort', ports: [{ nodePort: 30080 }] })
    t.same(objects.map(object => object.kind).sort(), ['Deployment', 'PodDisruptionBudget', 'Service'], 'no ConfigMap, no ServiceMonitor')
    t.notOk(deployment.spec.template.spec.imagePullSecrets, 'no pull Secret')
    const byDigest = await built(t, () => ['--namespace', 'hbaas', '--image', '127.0.0.1:5000/team/hbaas-server@sha256:' + '0a'.repeat(32)])
    t.equal(byDigest.deployment.spec.template.spec.containers[0].image, '127.0.0.1:5000/team/hbaas-server@sha256:' + '0a'.repeat(32), 'an image by its digest')
  })

  t.test('staging\'s overlay, and a namespace and NodePort of another', async t => {
    const staging = await built(t, () => ['--overlay', STAGING, '--namespace', 'hbaas-staging', '--image', 'r.example.com/hbaas-server:v2'])
    t.equal(staging.deployment.metadata.namespace, 'hbaas-staging')
    t.equal(staging.deployment.spec.replicas, 2)
    t.match(staging.service.spec.ports, [{ nodePort: 30081 }])
    const given = await built(t, () => ['--overlay', STAGING, '--image', 'r.example.com/hbaas-server:v2', '--namespace', 'team', '--node-port', '31000'])
    t.same([...new Set(given.objects.map(object => object.metadata.namespace))], ['team'])
    t.match(given.service.spec.ports, [{ nodePort: 31000 }])
  })

  t.test('the parts switched on: a pull Secret by name, the people file mounted and labelled, the ServiceMonitor', async t => {
    const people = 'name,birth_date\nAda Lovelace,1815-12-10\n'
    const { out, one, deployment } = await built(t, dir => ['--namespace', 'team', '--image', 'r.example.com/hbaas-server:v2', '--pull-secret', 'registry-login',
      '--people-file', join(dir, 'team.csv'), '--service-monitor', 'true'], { 'team.csv': people })
    const pod = deployment.spec.template.spec
    t.same(pod.imagePullSecrets, [{ name: 'registry-login' }])
    const configMap = one('ConfigMap')
    t.same(configMap.data, { 'people.csv': people }, 'the file, as it is')
    t.match(configMap.metadata, { name: /^hbaas-people-\w+$/, labels: { 'app.kubernetes.io/name': 'hbaas-server', 'app.kubernetes.io/component': 'people' } },
      'named by its content, so that a new file rolls the pods; labelled, so that undeploy and the next deploy find it')
    t.same(pod.volumes, [{ name: 'people', configMap: { name: configMap.metadata.name } }])
    t.match(pod.containers[0], { env: [{ name: 'PEOPLE_FILE', value: '/data/people.csv' }], volumeMounts: [{ name: 'people', mountPath: '/data', readOnly: true }] })
    t.ok(one('ServiceMonitor'), 'a ServiceMonitor')
    t.equal(await readFile(join(out, 'people.csv'), 'utf8'), people, 'a copy beside the kustomization')
  })
}

t.test('the folder is written anew at each deploy, given an overlay, a namespace and an image', async t => {
  const dir = t.testdir({ deploy: { 'left-over.yaml': 'x' } })
  const incomplete = await run(process.execPath, [OVERLAY, '--out', join(dir, 'deploy'), '--image', 'r.example.com/hbaas-server:v3']).catch((error: { code: number, stderr: string }) => error)
  t.match(incomplete, { code: 2, stderr: /needs --overlay, --namespace and --image/ })
  t.equal(await readFile(join(dir, 'deploy/left-over.yaml'), 'utf8'), 'x', 'nothing written')
  await run(process.execPath, [OVERLAY, '--out', join(dir, 'deploy'), '--overlay', PRODUCTION, '--namespace', 'hbaas', '--image', 'r.example.com/hbaas-server:v3'])
  await t.rejects(readFile(join(dir, 'deploy/left-over.yaml')))
})

t.test('a people file too big for a ConfigMap (1 MiB) is refused in one line, before anything is written', async t => {
  t.equal(peopleFileProblem('team.csv', 1024 * 1024 - 'people.csv'.length), undefined, 'up to 1 MiB with its key')
  t.match(peopleFileProblem('team.csv', 1024 * 1024), /^K8S_PEOPLE_FILE team\.csv is 1\.0 MiB, but a ConfigMap holds at most 1 MiB \(about 30,000 people\): build an image FROM this one/)
  const dir = t.testdir({ 'big.csv': 'x'.repeat(2 * 1024 * 1024), deploy: { 'left-over.yaml': 'x' } })
  const refused = await run(process.execPath, [OVERLAY, '--out', join(dir, 'deploy'), '--overlay', PRODUCTION, '--namespace', 'hbaas', '--image', 'r.example.com/hbaas-server:v2',
    '--people-file', join(dir, 'big.csv')]).catch((error: { code: number, stderr: string }) => error)
  t.match(refused, { code: 1, stderr: /^K8S_PEOPLE_FILE .*big\.csv is 2\.0 MiB, but a ConfigMap holds at most 1 MiB[^\n]*\n$/ })
  t.equal(await readFile(join(dir, 'deploy/left-over.yaml'), 'utf8'), 'x', 'the overlay\'s folder is as it was')
})
