import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { PROMTOOL, hasTool } from '../helpers/environment'
import { buildBundle, startServer } from '../helpers/processes'

// What promtool's lint says of prom-client's own default metrics, and why we keep them: these
// three are gauges named ..._total, which the lint reserves for counters, but they are the names
// every Node.js dashboard (Grafana's among them) reads, so renaming them would break those.
const ACCEPTED_LINT = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix'
]

/** promtool check metrics on a text: its exit code and what it printed, a line each. */
async function promtoolCheck (text: string) {
  const promtool = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  promtool.stdout.on('data', chunk => { output += chunk })
  promtool.stderr.on('data', chunk => { output += chunk })
  promtool.stdin.end(text)
  const [code] = await once(promtool, 'exit')
  return { code, problems: output.split('\n').filter(Boolean) }
}

if (hasTool(t, PROMTOOL, ['--version'], 'the metrics are checked by Prometheus\'s own parser: go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0')) {
  t.test('Prometheus\'s own parser reads the bundle\'s /metrics with no error and only the lint warnings we accept', async t => {
    const dir = t.testdir()
    await buildBundle(join(dir, 'dist'))
    const server = await startServer(t, dir)
    // Every kind of series: routes, statuses, methods, a 404, a probe, a trace.
    for (const path of ['/', '/name/Ada', '/name/%20', '/date/25-December', '/date/today', '/date/30-February', '/date/25', '/version', '/healthz', '/readyz', '/nope']) {
      await fetch(server.url + path, { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } })
    }
    await fetch(`${server.url}/version`, { method: 'HEAD' })
    await fetch(`${server.url}/version`, { method: 'DELETE' })
    const text = await (await fetch(`${server.metricsUrl}/metrics`)).text()
    t.match(text, /^http_requests_total\{method="DELETE",route="unmatched",status_code="405"\} 1$/m, 'every kind of series is in it')
    const { code, problems } = await promtoolCheck(text)
    t.same(problems, ACCEPTED_LINT, 'no parse error, no other lint warning')
    t.equal(code, 3, 'promtool\'s exit code for lint warnings alone (a parse error is 1)')

    const broken = await promtoolCheck(`${text}http_requests_total{method="GET" 1\n`)
    t.equal(broken.code, 1, 'and it does refuse what it cannot parse')
  })
}
