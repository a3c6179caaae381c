import { get } from 'node:http'

export interface LoadResults {
  /** How many answers of each HTTP status, and how many requests failed with each network error. */
  statuses: Record<string, number>
  errors: Record<string, number>
  /** How many connections were refused and tried once more (see steadyLoad). */
  retried: number
  /** The `version` of each /version answer, in the order they arrived. */
  versions: string[]
}

/**
 * Steady, bounded load: `rate` requests per second, each on a new connection (so that every one
 * is routed afresh, as from many clients), alternating between `paths`, until stop(). Answers and
 * errors are counted; stop() resolves once every request has ended.
 *
 * A refused connection is tried once more, as a load balancer in front of a cluster does: nothing
 * of the request was sent, so nothing is lost. A single-node cluster's kube-proxy, rewriting its
 * rules for the NodePort on 127.0.0.1, now and then refuses a connection or two while a pod comes
 * or goes. A pod that stopped listening too early would still show: a third of the connections
 * routed to it, the retry included, would fail.
 */
export function steadyLoad (baseUrl: string, rate: number, paths: string[]) {
  const results: LoadResults = { statuses: {}, errors: {}, retried: 0, versions: [] }
  const pending = new Set<Promise<void>>()
  const count = (tally: Record<string, number>, key: string) => { tally[key] = (tally[key] ?? 0) + 1 }
  let sent = 0
  const attempt = (path: string, retry: boolean) => new Promise<void>(resolve => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (retry && error.code === 'ECONNREFUSED') {
        results.retried++
        attempt(path, false).then(resolve)
        return
      }
      count(results.errors, error.code ?? error.message)
      resolve()
    }
    get(`${baseUrl}${path}`, { agent: false, timeout: 10_000 }, response => {
      let body = ''
      response.setEncoding('utf8').on('data', chunk => { body += chunk }).on('end', () => {
        count(results.statuses, String(response.statusCode))
        if (path === '/version' && response.statusCode === 200) results.versions.push(JSON.parse(body).version)
        resolve()
      }).on('error', failed)
    }).on('timeout', function (this: { destroy: (error: Error) => void }) { this.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })) })
      .on('error', failed)
  })
  const send = () => {
    const request = attempt(paths[sent++ % paths.length], true)
    pending.add(request)
    request.finally(() => pending.delete(request))
  }
  const tick = 50
  const timer = setInterval(() => { for (let i = 0; i < rate * tick / 1000; i++) send() }, tick)
  return {
    /** How many requests have been answered 200 so far. */
    answered: () => results.statuses['200'] ?? 0,
    stop: async (): Promise<LoadResults & { sent: number }> => {
      clearInterval(timer)
      await Promise.all(pending)
      return { ...results, sent }
    }
  }
}
