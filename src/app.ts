import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { BirthdayBook } from './birthdays/birthday-book'
import type { BuildInfo } from './bundle/build-info'
import { sendError } from './plugins/errors'
import errors from './plugins/errors'
import requestPolicy from './plugins/request-policy'
import shutdown from './plugins/shutdown'
import type { Metrics } from './observability/metrics'
import { RequestTelemetry, requestIdFor } from './observability/request-telemetry'
import dateRoutes from './routes/dates'
import docsRoutes from './routes/docs'
import healthRoutes from './routes/health'
import nameRoutes from './routes/names'
import rootRoutes from './routes/root'
import versionRoutes from './routes/version'

// Slow and oversized clients are cut off: headers must arrive within 5 s, the whole request
// within 10 s (checked every second), the request line and headers within 16 KiB.
const HEADERS_TIMEOUT_MS = 5_000
const REQUEST_TIMEOUT_MS = 10_000
const MAX_HEADER_BYTES = 16 * 1024

// What any request may be answered, whatever its route: said once, in the API document.
const API_DESCRIPTION = [
  'Wishes people a happy birthday, by name or by the day they were born.',
  'Every error answer is JSON: `{"statusCode": …, "error": …, "message": …}`, and each route lists the statuses it answers. ' +
  'Besides those, any request may be answered 404 (a path that no route has), 400 (not valid HTTP, or a URL that cannot be decoded), ' +
  `408 (headers not in within ${HEADERS_TIMEOUT_MS / 1000} s, or the whole request not within ${REQUEST_TIMEOUT_MS / 1000} s) ` +
  `or 431 (request line and headers over ${MAX_HEADER_BYTES / 1024} KiB).`
].join('\n\n')

export interface AppOptions {
  /** Everyone the service knows the birthday of. */
  people: BirthdayBook
  buildInfo: BuildInfo
  /**
   * Fastify's logger options; silent by default (tests). Never `false`: Fastify tells the log
   * controller that a request completed, which is when it is counted, only when there is a logger.
   */
  logger?: Exclude<FastifyServerOptions['logger'], boolean>
  /** Where Swagger UI's files are: swagger-ui-dist's folder, or the bundle's copy. */
  docsAssetsDir: string
  /**
   * The OpenAPI document, made when the bundle was built (scripts/build/). Without it (in tests,
   * and in the build itself), @fastify/swagger generates it from the route schemas.
   */
  apiDocument?: object
  /**
   * How the route schemas become validators and serializers: compiled at start-up by default; the
   * bundle's were compiled when it was built (see compiled-schemas.ts).
   */
  schemaController?: FastifyServerOptions['schemaController']
  /** What time it is, for /date/today: the system clock unless a test gives one. */
  clock?: () => Date
  /** Where every request is counted (metrics.ts); none by default. */
  metrics?: Metrics
}

/** Builds the HBaaS app with every route registered; the caller decides whether to listen. */
export async function buildApp ({ people, buildInfo, logger = { level: 'silent' }, docsAssetsDir, apiDocument, schemaController, clock = () => new Date(), metrics }: AppOptions) {
  const app = Fastify({
    logger,
    logController: new RequestTelemetry(metrics), // request ids, trace context, the request's log line and metrics
    requestIdHeader: false, // requestIdFor checks the incoming id before reusing it
    genReqId: requestIdFor,
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: MAX_HEADER_BYTES,
      requireHostHeader: false // checked in plugins/request-policy.ts, to answer in the JSON error shape
    },
    bodyLimit: 1024, // no route takes a body
    // The route schemas are ours and fixed (the tests compile every one of them): checking them
    // against JSON Schema's meta-schema at each start-up would only take time.
    ajv: { customOptions: { validateSchema: false } },
    schemaController,
    // Parameters as long as a request line can be, so that an over-long name is a 400 from
    // validation rather than a 404 from the router.
    routerOptions: { maxParamLength: MAX_HEADER_BYTES },
    // A URL that cannot be decoded (e.g. "%E0%A4%A") gets the same error shape as everything else.
    // (A request that Node's HTTP parser refuses gets it from Fastify's own clientErrorHandler:
    // 400, 408 or 431, then the connection is closed.)
    frameworkErrors: (error, _request, reply) => sendError(reply, 400, error.message),
    // On shutdown the server stops accepting connections, but requests that still arrive on open
    // ones are served (with Connection: close) instead of Fastify's default 503: none is dropped.
    return503OnClosing: false
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(errors)
  await app.register(requestPolicy)
  await app.register(shutdown)
  const describeApi = apiDocument === undefined ? await generateApiDocument(app, buildInfo) : () => apiDocument

  await app.register(rootRoutes)
  await app.register(nameRoutes)
  await app.register(dateRoutes, { people, clock })
  await app.register(versionRoutes, { buildInfo })
  await app.register(healthRoutes)
  await app.register(docsRoutes, { assetsDir: docsAssetsDir, describeApi })
  return app
}

/**
 * Registers @fastify/swagger, which makes the API document from the routes registered after it.
 * Loaded only here, so that the bundle, which is given the document it was built with, is without it.
 */
async function generateApiDocument (app: FastifyInstance, buildInfo: BuildInfo) {
  const { default: swagger } = await import('@fastify/swagger')
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'HBaaS: Happy Birthday as a Service',
        description: API_DESCRIPTION,
        version: buildInfo.version
      },
      tags: [
        { name: 'birthdays', description: 'Birthday wishes' },
        { name: 'service', description: 'Health and version of the running service' }
      ]
    }
  })
  return () => app.swagger()
}
