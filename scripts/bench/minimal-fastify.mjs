// A reference: the least a Fastify 5 app does to answer the benchmarked URL, with the same bytes
// as hbaas-server (read once from BODY_FILE) and the logger at warn. What the framework itself
// costs, beside bare node:http. The benchmark bundles it as it bundles hbaas-server, so that its
// start-up is the framework's, not that of loading node_modules. Not part of the product.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

const body = readFileSync(process.env.BODY_FILE, 'utf8')
const app = Fastify({ logger: { level: 'warn' } })
app.get('/date/:date', (_request, reply) => { reply.type('application/json; charset=utf-8').send(body) })
app.get('/version', (_request, reply) => { reply.send({ version: 'fastify' }) })
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
