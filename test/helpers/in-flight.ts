import { Agent, get, type IncomingMessage } from 'node:http'
import { waitFor } from '../../scripts/lib/wait.mjs'

export const BIG_ASSET = '/docs/static/swagger-ui-bundle.js'

/**
 * Starts `count` downloads of a 1.7 MB file on keep-alive connections, by clients that stop
 * reading after the first bytes, so that the server is mid-response on every one of them.
 * finish() lets the clients read again and resolves with what each received.
 */
export async function requestsInFlight (baseUrl: string, count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: count })
  const responses = await Promise.all(Array.from({ length: count }, () => new Promise<IncomingMessage>((resolve, reject) => {
    get(baseUrl + BIG_ASSET, { agent }, response => resolve(response.pause())).on('error', reject)
  })))
  const downloads = responses.map(response => new Promise<{ status?: number, bytes: number }>((resolve, reject) => {
    let bytes = 0
    response.on('data', chunk => { bytes += chunk.length }).on('end', () => resolve({ status: response.statusCode, bytes })).on('error', reject)
  }))
  return {
    finish: async () => {
      for (const response of responses) response.resume()
      const results = await Promise.all(downloads)
      agent.destroy()
      return results
    }
  }
}

/** What a new client gets: an HTTP status, or the network error's code (ECONNREFUSED). */
function newcomer (url: string): Promise<number | string> {
  return fetch(url).then(res => res.status, (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message)
}

/**
 * Once a server has begun to shut down, new clients are turned away: resolves with what one gets
 * (503, or ECONNREFUSED), or undefined if they are still served after timeoutMs.
 */
export function turnedAwayWithin (url: string, timeoutMs: number): Promise<number | string | undefined> {
  return waitFor(async () => {
    const answer = await newcomer(url)
    return (answer === 503 || answer === 'ECONNREFUSED') && answer
  }, timeoutMs, 20).then(answer => answer || undefined)
}
