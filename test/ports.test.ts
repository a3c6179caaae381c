import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { compileConfigValidator, readConfig } from '../src/startup/config'
import { ROOT } from './helpers/root'

// The API's port and the metrics port are written where code cannot import them: the Dockerfile,
// the Kubernetes manifests, the README. They must say what the settings' defaults say.
const { PORT, METRICS_PORT } = readConfig({}, compileConfigValidator())
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
const kubernetes = (path: string) => parse(read(`deploy/kubernetes/${path}`))

t.test('the defaults are the API on 8000, metrics on 9464', async t => {
  t.same([PORT, METRICS_PORT], [8000, 9464])
})

t.test('the Dockerfile sets and exposes both', async t => {
  const dockerfile = read('Dockerfile')
  t.match(dockerfile, new RegExp(`^ENV .*\\bPORT=${PORT} METRICS_PORT=${METRICS_PORT}$`, 'm'))
  t.match(dockerfile, /^EXPOSE \$\{PORT\} \$\{METRICS_PORT\}$/m)
})

t.test('the pods declare both ports, the annotations name the metrics port, the public Service has only the API\'s', async t => {
  const { spec: { template } } = kubernetes('base/deployment.yaml')
  t.same(template.spec.containers[0].ports, [{ name: 'http', containerPort: PORT }, { name: 'metrics', containerPort: METRICS_PORT }])
  t.same(template.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT), 'prometheus.io/path': '/metrics' })
  t.same(kubernetes('base/service.yaml').spec.ports, [{ name: 'http', port: PORT, targetPort: 'http' }])
})

t.test('the ServiceMonitor component: a metrics Service on the pods\' metrics port, and a ServiceMonitor that selects it', async t => {
  const service = kubernetes('components/service-monitor/metrics-service.yaml')
  const monitor = kubernetes('components/service-monitor/service-monitor.yaml')
  t.same(service.spec.ports, [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' }])
  t.same(service.spec.selector, { 'app.kubernetes.io/name': 'hbaas-server' }, 'the pods\' label (the base adds it to its own resources only)')
  t.match(service.metadata.labels, monitor.spec.selector.matchLabels)
  t.same(monitor.spec.endpoints, [{ port: 'metrics', path: '/metrics' }])
  t.same(kubernetes('components/service-monitor/kustomization.yaml').resources, ['metrics-service.yaml', 'service-monitor.yaml'])
})

t.test('the README\'s docker run publishes the API\'s port, never the metrics port', async t => {
  const runs = read('README.md').split('\n').filter(line => /docker run /.test(line))
  t.ok(runs.length > 0)
  for (const line of runs) {
    t.match(line, `--publish ${PORT}:${PORT}`, line)
    t.notMatch(line, String(METRICS_PORT), line)
  }
})
