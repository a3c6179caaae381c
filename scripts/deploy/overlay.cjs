// Writes the kustomize overlay that `task k8s:deploy` applies: deploy/kubernetes/ with what cannot
// be committed (the namespace, the image of this version) and the components a deploy asks for,
// given their values (the NodePort's number, the pull Secret's name, the people file). Usage:
//   node scripts/deploy/overlay.cjs --out DIR --namespace NS --image REPOSITORY:TAG --node-port 30080
//     [--pull-secret NAME] [--people-file FILE]
// kustomization.yaml is written as JSON, which is YAML too.
'use strict'
const { copyFileSync, mkdirSync, rmSync, writeFileSync } = require('node:fs')
const { join, relative } = require('node:path')
const { parseArgs } = require('node:util')

const BASE = join(__dirname, '..', '..', 'deploy', 'kubernetes')

/**
 * The overlay's kustomization, for a folder `out`. The image is REPOSITORY:TAG; a registry's port
 * (127.0.0.1:5000/…) is not a tag.
 * @param {{ out: string, namespace: string, image: string, nodePort: number, pullSecret?: string, peopleFile?: string }} options
 */
function overlay ({ out, namespace, image, nodePort, pullSecret, peopleFile }) {
  const [, newName, newTag] = /** @type {RegExpMatchArray} */ (image.match(/^(.+):([^:/]+)$/))
  const path = (/** @type {string} */ folder) => relative(out, join(BASE, folder))
  const replace = (/** @type {string} */ kind, /** @type {string} */ at, /** @type {string | number} */ value) =>
    ({ target: { kind, name: 'hbaas-server' }, patch: JSON.stringify([{ op: 'replace', path: at, value }]) })
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace,
    resources: [path('.')],
    images: [{ name: 'hbaas-server', newName, newTag }],
    components: [path('components/node-port'), ...(pullSecret ? [path('components/pull-secret')] : []), ...(peopleFile ? [path('components/people')] : [])],
    patches: [
      replace('Service', '/spec/ports/0/nodePort', nodePort),
      ...(pullSecret ? [replace('Deployment', '/spec/template/spec/imagePullSecrets/0/name', pullSecret)] : [])
    ],
    ...(peopleFile && { configMapGenerator: [{ name: 'hbaas-people', files: ['people.csv'] }] })
  }
}

module.exports = { overlay }

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.task/deploy' },
      namespace: { type: 'string', default: 'hbaas' },
      image: { type: 'string', default: '' },
      'node-port': { type: 'string', default: '30080' },
      'pull-secret': { type: 'string', default: '' },
      'people-file': { type: 'string', default: '' }
    }
  })
  const out = values.out
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  if (values['people-file']) copyFileSync(values['people-file'], join(out, 'people.csv'))
  const kustomization = overlay({
    out,
    namespace: values.namespace,
    image: values.image,
    nodePort: Number(values['node-port']),
    pullSecret: values['pull-secret'] || undefined,
    peopleFile: values['people-file'] || undefined
  })
  writeFileSync(join(out, 'kustomization.yaml'), `# Written by task k8s:deploy (scripts/deploy/overlay.cjs).\n${JSON.stringify(kustomization, null, 2)}\n`)
}
