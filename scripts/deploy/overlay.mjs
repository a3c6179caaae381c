// Writes the thin kustomization that `task k8s:deploy` applies on top of an environment's committed
// overlay (deploy/kubernetes/overlays/ENVIRONMENT): what only a deploy knows, the image (by tag or
// digest), and the components a deploy switches on with their values (the pull Secret's name, the
// people file, the ServiceMonitor); the NodePort only when it is given instead of the overlay's.
// The namespace is always written, the overlay's or another: a generated ConfigMap takes this
// kustomization's, and kustomize names it in the Deployment only when the two agree. Usage:
//   node scripts/deploy/overlay.mjs --out DIR --overlay deploy/kubernetes/overlays/production
//     --namespace hbaas --image REPOSITORY:TAG [--node-port 30080] [--pull-secret NAME]
//     [--people-file FILE] [--service-monitor true]
// kustomization.yaml is written as JSON, which is YAML too. docs/decisions.md says why a script
// writes it rather than `kustomize edit` (kubectl has kustomize's build, not its edit).
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { isMain } from '../lib/main.mjs'

const COMPONENTS = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes', 'components')
const PEOPLE_KEY = 'people.csv'
const PEOPLE_LABELS = { 'app.kubernetes.io/name': 'hbaas-server', 'app.kubernetes.io/component': 'people' }
// The API server refuses a ConfigMap whose data (keys and values) is over 1 MiB: about 30,000 people.
const CONFIG_MAP_MAX_BYTES = 1024 * 1024

/**
 * Why a people file of this size cannot be deployed in a ConfigMap, in one line with what to do
 * instead; undefined when it can.
 * @param {string} file @param {number} bytes
 */
function peopleFileProblem (file, bytes) {
  if (PEOPLE_KEY.length + bytes <= CONFIG_MAP_MAX_BYTES) return undefined
  return `K8S_PEOPLE_FILE ${file} is ${(bytes / 2 ** 20).toFixed(1)} MiB, but a ConfigMap holds at most 1 MiB (about 30,000 people): ` +
    'build an image FROM this one with the file in it (deploy/people-image/Dockerfile) and deploy it with K8S_IMAGE; docs/kubernetes.md, "A big people file", says how'
}

/**
 * The overlay's kustomization, for a folder `out`. The image is REPOSITORY:TAG, or REPOSITORY@DIGEST
 * as the pipeline deploys it; a registry's port (127.0.0.1:5000/…) is not a tag.
 * @param {{ out: string, base: string, namespace: string, image: string, nodePort?: number, pullSecret?: string, peopleFile?: string, serviceMonitor?: boolean }} options
 */
function overlay ({ out, base, namespace, image, nodePort, pullSecret, peopleFile, serviceMonitor }) {
  // REPOSITORY@sha256:… (a digest, which never moves) or REPOSITORY:TAG.
  const [, newName, separator, reference] = /** @type {RegExpMatchArray} */ (image.match(/^(.+?)(@|:)([^:/@]+|sha256:[0-9a-f]+)$/))
  const component = (/** @type {string} */ name) => relative(out, join(COMPONENTS, name))
  const replace = (/** @type {string} */ kind, /** @type {string} */ at, /** @type {string | number} */ value) =>
    ({ target: { kind, name: 'hbaas-server' }, patch: JSON.stringify([{ op: 'replace', path: at, value }]) })
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace,
    resources: [relative(out, base)],
    images: [{ name: 'hbaas-server', newName, ...(separator === '@' ? { digest: reference } : { newTag: reference }) }],
    components: [
      ...(pullSecret ? [component('pull-secret')] : []),
      ...(peopleFile ? [component('people')] : []),
      ...(serviceMonitor ? [component('service-monitor')] : [])
    ],
    patches: [
      ...(nodePort ? [replace('Service', '/spec/ports/0/nodePort', nodePort)] : []),
      ...(pullSecret ? [replace('Deployment', '/spec/template/spec/imagePullSecrets/0/name', pullSecret)] : [])
    ],
    // Labelled like the base's objects, so that k8s:undeploy removes it, and as people, so that a
    // deploy removes those of earlier files.
    ...(peopleFile && { configMapGenerator: [{ name: 'hbaas-people', files: [PEOPLE_KEY], options: { labels: PEOPLE_LABELS } }] })
  }
}

export { overlay, peopleFileProblem }

if (isMain(import.meta)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.task/deploy' },
      overlay: { type: 'string', default: '' },
      image: { type: 'string', default: '' },
      namespace: { type: 'string', default: '' },
      'node-port': { type: 'string', default: '' },
      'pull-secret': { type: 'string', default: '' },
      'people-file': { type: 'string', default: '' },
      // A string, as Task passes it: "true" adds the ServiceMonitor, anything else does not.
      'service-monitor': { type: 'string', default: '' }
    }
  })
  if (!values.overlay || !values.namespace || !values.image) {
    console.error('overlay.mjs needs --overlay, --namespace and --image (task k8s:deploy gives them)')
    process.exit(2)
  }
  const peopleFile = values['people-file']
  // Checked before anything is written, so that task k8s:deploy stops before it applies anything.
  const problem = peopleFile && peopleFileProblem(peopleFile, statSync(peopleFile).size)
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
  const out = values.out
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  if (peopleFile) copyFileSync(peopleFile, join(out, PEOPLE_KEY))
  const kustomization = overlay({
    out,
    base: values.overlay,
    image: values.image,
    namespace: values.namespace,
    nodePort: Number(values['node-port']) || undefined,
    pullSecret: values['pull-secret'] || undefined,
    peopleFile: peopleFile || undefined,
    serviceMonitor: values['service-monitor'] === 'true'
  })
  writeFileSync(join(out, 'kustomization.yaml'), `# Written by task k8s:deploy (scripts/deploy/overlay.mjs).\n${JSON.stringify(kustomization, null, 2)}\n`)
}
