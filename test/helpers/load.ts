import { get } from 'node:http'

export interface LoadResults {
  /** How many answers of each HTTP status, and how many requests failed with each network error. */
  statuses: Record<string, number>
  errors: Record<string, number>
  /** The `version` of each /version answer, in the order they arrived. */
  versions: string[]
}

/**
 * Steady, bounded load: `rate` requests per second, each on a new connection (so that every one
 * is routed afresh, as from many clients), alternating between `paths`, until stop(). Answers and
 * errors are counted; stop() resolves once every request has ended.
 */
export function steadyLoad (baseUrl: string, rate: number, paths: string[]) {
  const results: LoadResults = { statuses: {}, errors: {}, versions: [] }
  const pending = new Set<Promise<void>>()
  const count = (tally: Record<string, number>, key: string) => { tally[key] = (tally[key] ?? 0) + 1 }
  let sent = 0
  const send = () => {
    const path = paths[sent++ % paths.length]
    const request = new Promise<void>(resolve => {
      get(`${baseUrl}${path}`, { agent: false, timeout: 10_000 }, response => {
        let body = ''
        response.setEncoding('utf8').on('data', chunk => { body += chunk }).on('end', () => {
          count(results.statuses, String(response.statusCode))
          if (path === '/version' && response.statusCode === 200) results.versions.push(JSON.parse(body).version)
          resolve()
        }).on('error', error => { count(results.errors, (error as NodeJS.ErrnoException).code ?? error.message); resolve() })
      }).on('timeout', function (this: { destroy: (error: Error) => void }) { this.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })) })
        .on('error', error => { count(results.errors, (error as NodeJS.ErrnoException).code ?? error.message); resolve() })
    })
    pending.add(request)
    request.finally(() => pending.delete(request))
  }
  const tick = 50
  const timer = setInterval(() => { for (let i = 0; i < rate * tick / 1000; i++) send() }, tick)
  return {
    stop: async (): Promise<LoadResults & { sent: number }> => {
      clearInterval(timer)
      await Promise.all(pending)
      return { ...results, sent }
    }
  }
}
