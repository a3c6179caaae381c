import t from 'tap'
import { buildTestApp } from '../helpers/app'

t.test('GET /openapi.json describes every route from its schemas', async t => {
  const app = await buildTestApp(t)
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  const document = res.json()
  t.match(document, { openapi: /^3\./, info: { title: String, version: 'v1.2.3-4-gabcdef1' } })
  t.same(Object.keys(document.paths).sort(),
    ['/', '/date/today', '/date/{date}', '/docs', '/healthz', '/name/{name}', '/openapi.json', '/readyz', '/version'])
  for (const [path, operations] of Object.entries(document.paths) as Array<[string, { get: { responses: object } }]>) {
    t.same(Object.keys(operations.get.responses).sort(), ['200', '400', '404', '500', '503'], `${path}: every response is described`)
  }
  t.match(document.paths['/date/{date}'].get.parameters, [{ in: 'path', name: 'date', description: /\{day\}-\{Month\}, e\.g\. 2-May/ }])
  t.match(document.paths['/date/today'].get.parameters, [{ in: 'query', name: 'tz', schema: { default: 'UTC' } }])
  t.match(document.paths['/name/{name}'].get.responses, { 200: {}, 400: {} })
})

t.test('GET /docs is a page for people, with its assets served locally', async t => {
  const app = await buildTestApp(t)
  const page = await app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(match => match[1])
  t.same(assets.sort(), ['/docs/static/favicon-32x32.png', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-ui.css'])
  for (const asset of assets) {
    const res = await app.inject(asset)
    t.equal(res.statusCode, 200, asset)
    t.ok(res.rawPayload.length > 100, `${asset} has content`)
  }
  t.match(page.body, "url: '/openapi.json'")
  const withSlash = await app.inject('/docs/')
  t.same([withSlash.statusCode, withSlash.body], [200, page.body], '/docs/ is the same page')
})

t.test('the document says /docs answers HTML, and its errors JSON like every other error', async t => {
  const app = await buildTestApp(t)
  const { responses } = (await app.inject('/openapi.json')).json().paths['/docs'].get
  t.same(Object.keys(responses['200'].content), ['text/html'])
  for (const status of ['400', '404', '500']) t.same(Object.keys(responses[status].content), ['application/json'], status)
})

t.test('only the docs assets are served', async t => {
  const app = await buildTestApp(t)
  for (const path of ['/docs/static/package.json', '/docs/static/..%2F..%2Fpackage.json', '/docs/static/toString', '/docs/static/']) {
    const res = await app.inject(path)
    t.equal(res.statusCode, 404, path)
    t.equal(res.json().error, 'Not Found')
  }
})
