import { once } from 'node:events'
import { Agent, get } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
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

export interface Exchange {
  /** The status of the first response, if one came. */
  status?: number
  headers: string
  body: string
  /** Everything received, as latin1 text. */
  raw: string
}

/**
 * Writes raw bytes on a new connection to 127.0.0.1:port and reads until the server closes it (or
 * timeoutMs pass): what a client that speaks HTTP badly, or not at all, gets.
 */
export async function exchange (port: number, bytes: string | Buffer, timeoutMs = 3000): Promise<Exchange> {
  const socket = connect(port, '127.0.0.1')
  let received = Buffer.alloc(0)
  socket.on('data', chunk => { received = Buffer.concat([received, chunk]) })
  socket.on('error', () => {})
  socket.write(bytes)
  const timer = setTimeout(() => socket.destroy(), timeoutMs)
  await once(socket, 'close')
  clearTimeout(timer)
  const raw = received.toString('latin1')
  const [headers, ...body] = raw.split('\r\n\r\n')
  return { status: Number(headers.match(/^HTTP\/1\.[01] (\d{3})/)?.[1]) || undefined, headers, body: body.join('\r\n\r\n'), raw }
}
