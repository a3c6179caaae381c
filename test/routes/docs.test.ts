import t from 'tap'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/routes/dates'
import { buildTestApp } from '../helpers/app'

t.test('GET /openapi.json describes every route from its schemas, with exactly the statuses it answers', async t => {
  const app = await buildTestApp(t)
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  const document = res.json()
  t.match(document, { openapi: /^3\./, info: { title: String, version: 'v1.2.3-4-gabcdef1' } })
  t.match(document.info.description, /404 \(a path that no route has\), 400 \(not valid HTTP, or a URL that cannot be decoded\), 408 .* 5 s.* 10 s.*431 .*16 KiB/s,
    'the answers any request may get are said once')
  const statuses = Object.fromEntries(Object.entries(document.paths).map(([path, operations]) =>
    [path, Object.keys((operations as { get: { responses: object } }).get.responses).sort()]))
  t.same(statuses, {
    '/': ['200', '405', '500'],
    '/name/{name}': ['200', '400', '405', '500'],
    '/date/today': ['200', '400', '405', '500'],
    '/date/{day}-{month}': ['200', '400', '405', '500'],
    '/version': ['200', '405', '500'],
    '/healthz': ['200', '405', '500'],
    '/readyz': ['200', '405', '500', '503'],
    '/openapi.json': ['200', '405', '500'],
    '/docs': ['200', '405', '500']
  })
  t.match(document.paths['/version'].get.responses['405'], { headers: { allow: { schema: { type: 'string' } } } }, 'a 405 comes with Allow')
  const parameters = (path: string) => Object.fromEntries(document.paths[path].get.parameters.map((parameter: { name: string }) => [parameter.name, parameter]))
  t.match(parameters('/date/{day}-{month}'), {
    day: { in: 'path', schema: { pattern: String } },
    month: { in: 'path', schema: { pattern: String }, description: /\{day\}-\{Month\}, e\.g\. 2-May/ },
    limit: { in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
    offset: { in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } }
  })
  t.match(parameters('/date/today'), { tz: { in: 'query', schema: { default: 'UTC' } }, limit: { in: 'query' }, offset: { in: 'query' } })
  for (const path of ['/date/{day}-{month}', '/date/today']) {
    const answer = document.paths[path].get.responses[200]
    t.match(answer.content['application/json'].schema, { required: ['message', 'date', 'people', 'total'], properties: { total: {}, next: {} } }, `${path}: the total and the next page`)
    t.match(answer.headers, { link: { schema: { type: 'string' } } }, `${path}: the Link header`)
  }
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
  for (const status of ['405', '500']) t.same(Object.keys(responses[status].content), ['application/json'], status)
})

t.test('only the docs assets are served', async t => {
  const app = await buildTestApp(t)
  for (const path of ['/docs/static/package.json', '/docs/static/..%2F..%2Fpackage.json', '/docs/static/toString', '/docs/static/']) {
    const res = await app.inject(path)
    t.equal(res.statusCode, 404, path)
    t.equal(res.json().error, 'Not Found')
  }
})

t.test('the document the app is given (the bundle\'s, made at build time) is the one it serves', async t => {
  const generated = (await (await buildTestApp(t)).inject('/openapi.json')).json()
  const given = { ...generated, info: { ...generated.info, version: 'given' } }
  const app = await buildTestApp(t, { apiDocument: given })
  t.same((await app.inject('/openapi.json')).json(), given)
})
