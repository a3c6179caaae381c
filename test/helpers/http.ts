import { Agent, get } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** Starts the app on a free loopback port, for requests that cross a real socket; it is closed with the app. */
export async function listenOnLoopback (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 })

/**
 * GET with the path sent exactly as written, as a server receives it from any client: no URL
 * normalisation on the way (`/date/.` stays `/date/.`, where fetch and inject() send `/date/`).
 */
export function getPath (port: number, path: string): Promise<{ status: number, body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: keepAlive }, response => {
      let body = ''
      response.setEncoding('utf8')
        .on('data', chunk => { body += chunk })
        .on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    }).on('error', reject)
  })
}
