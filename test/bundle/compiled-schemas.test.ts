import t from 'tap'
import type { ValidateFunction } from 'ajv'
import { precompiled, schemaKey } from '../../src/bundle/compiled-schemas'

t.test('a schema is keyed by its route and the part of it that it is for', async t => {
  t.equal(schemaKey({ method: 'GET', url: '/name/:name', httpPart: 'params' }), 'GET /name/:name params')
  t.equal(schemaKey({ method: 'HEAD', url: '/version', httpStatus: '200' }), 'HEAD /version 200')
  t.equal(schemaKey({ method: 'GET', url: '/docs', httpStatus: '200', contentType: 'text/html' }), 'GET /docs 200 text/html')
})

t.test('Fastify gets, for each route, the functions compiled for it at build time', async t => {
  const validateName = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction
  const serializeVersion = () => '{"version":"v1"}'
  const { compilersFactory } = precompiled({
    validators: { 'GET /name/:name params': validateName },
    serializers: { 'GET /version 200': serializeVersion }
  })!
  const compileValidator = compilersFactory!.buildValidator!({}, {})
  const compileSerializer = compilersFactory!.buildSerializer!({}, {})
  t.equal(compileValidator({ schema: {}, method: 'GET', url: '/name/:name', httpPart: 'params' }), validateName)
  t.equal(compileSerializer({ schema: {}, method: 'GET', url: '/version', httpStatus: '200' }), serializeVersion)
  t.throws(() => compileSerializer({ schema: {}, method: 'GET', url: '/new-route', httpStatus: '200' }),
    { message: 'no schema was compiled at build time for GET /new-route 200' }, 'a route the build did not see stops start-up')
})
