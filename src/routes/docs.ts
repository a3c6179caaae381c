import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import * as Type from 'typebox'
import { errorResponses, sendError } from '../plugins/errors'
// The Swagger UI files the page below loads, with their content types; scripts/build/ ships
// the same list next to the bundle.
import DOCS_ASSETS from './docs-assets.json'

export interface DocsRoutesOptions {
  /** The folder that holds DOCS_ASSETS: swagger-ui-dist's, or the bundle's copy. */
  assetsDir: string
  /** The OpenAPI document of this API. */
  describeApi: () => object
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>HBaaS API</title>
  <link rel="icon" type="image/png" href="/docs/static/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' })</script>
</body>
</html>
`

/** The OpenAPI document at /openapi.json, and Swagger UI at /docs (its assets stay out of the document). */
const docsRoutes: FastifyPluginAsyncTypebox<DocsRoutesOptions> = async (app, { assetsDir, describeApi }) => {
  app.get('/openapi.json', {
    schema: {
      summary: 'This API as an OpenAPI 3 document, generated from the route schemas',
      tags: ['service'],
      response: { 200: Type.Object({}, { additionalProperties: true, description: 'The OpenAPI document' }), ...errorResponses() }
    }
  }, async () => describeApi())

  const sendPage = async (_request: unknown, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE)
  app.get('/docs', {
    schema: {
      summary: 'Swagger UI: this API, to read and try',
      tags: ['service'],
      response: { 200: { description: 'An HTML page', content: { 'text/html': { schema: Type.String() } } }, ...errorResponses() }
    }
  }, sendPage)
  // The same page with the trailing slash people often type; one entry in the document is enough.
  app.get('/docs/', { schema: { hide: true } }, sendPage)

  app.get('/docs/static/:file', {
    schema: { hide: true, params: Type.Object({ file: Type.String() }) }
  }, async (request, reply) => {
    const { file } = request.params
    if (!Object.hasOwn(DOCS_ASSETS, file)) return sendError(reply, 404, `No docs file named '${file}'`)
    return reply
      .type(DOCS_ASSETS[file as keyof typeof DOCS_ASSETS])
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(join(assetsDir, file)))
  })
}

export default docsRoutes
