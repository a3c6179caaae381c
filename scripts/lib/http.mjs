// Talking to a server on 127.0.0.1, as the benchmark and the tests do: a GET on a connection of its
// own, and raw bytes for a client that speaks HTTP badly or not at all.
import { once } from 'node:events'
import { get } from 'node:http'
import { connect } from 'node:net'

/**
 * GET http://127.0.0.1:port{path} on a connection of its own.
 * @param {number} port @param {string} path
 * @returns {Promise<{ status: number, body: string }>}
 */
function request (port, path) {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, response => {
      let body = ''
      response.setEncoding('utf8')
        .on('data', chunk => { body += chunk })
        .on('end', () => resolve({ status: Number(response.statusCode), body }))
    }).on('error', reject)
  })
}

/**
 * @typedef {object} Exchange
 * @property {number} [status] the status of the first response, if one came
 * @property {string} headers
 * @property {string} body
 * @property {string} raw everything received, as latin1 text
 */

/**
 * Writes raw bytes on a new connection to 127.0.0.1:port and reads until the server closes it (or
 * timeoutMs pass): what a client that speaks HTTP badly, or not at all, gets.
 * @param {number} port @param {string | Buffer} bytes @param {number} [timeoutMs]
 * @returns {Promise<Exchange>}
 */
async function exchange (port, bytes, timeoutMs = 3000) {
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

export { request, exchange }
