import t from 'tap'
import { parseWrk, wrkArgs } from '../../../scripts/bench/wrk.mjs'

// wrk 4.1's report with --latency, as the benchmark reads it.
const REPORT = `Running 8s test @ http://127.0.0.1:41234/date/25-December
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   720.31us  301.22us  12.41ms   93.10%
    Req/Sec    65.62k     3.01k   70.11k    80.00%
  Latency Distribution
     50%  712.00us
     75%  801.00us
     90%    1.01ms
     99%    2.52ms
  522866 requests in 8.00s, 191.46MB read
Requests/sec:  65358.27
Transfer/sec:     23.93MB
`

t.test('what wrk is asked, and what its report says', async t => {
  t.same(wrkArgs({ threads: 1, connections: 50 }, 'http://127.0.0.1:1/x', 8), ['--threads', '1', '--connections', '50', '--duration', '8s', '--latency', 'http://127.0.0.1:1/x'])
  t.same(parseWrk(REPORT), { requests: 522866, requestsPerSecond: 65358.27, p50Ms: 0.712, p99Ms: 2.52, errors: 0 })
  // wrk pads a figure in seconds with a space: "1.50s ".
  const slow = REPORT.replace('50%  712.00us', '50%    1.50s ').replace('Requests/sec', '  Socket errors: connect 0, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\nRequests/sec')
  t.match(parseWrk(slow), { p50Ms: 1500, errors: 9 }, 'seconds, socket errors and non-2xx answers')
})

t.test('a report without a figure is an error that shows it', async t => {
  t.throws(() => parseWrk(REPORT.replace(/^Requests\/sec.*$/m, '')), /wrk's report has no requests\/s:\n/)
  t.throws(() => parseWrk(REPORT.replace(/^ +99%.*$/m, '')), /wrk's report has no 99% latency/)
})
