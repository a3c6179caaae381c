import { Agent, get, type IncomingMessage } from 'node:http'
import { setTimeout } from 'node:timers/promises'

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
  await setTimeout(300)
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
export function newcomer (url: string): Promise<number | string> {
  return fetch(url).then(res => res.status, (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message)
}
