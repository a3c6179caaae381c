import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import * as Type from 'typebox'
import { errorResponses } from '../plugins/errors'
import type { BuildInfo } from '../bundle/build-info'

// The keys `version` and `build_time` are the Go server's.
const Version = Type.Object({
  version: Type.String({ examples: ['v1.2.3-4-gabcdef1'] }),
  build_time: Type.String({ description: 'UTC, RFC 3339', examples: ['2026-11-27T17:00:00Z'] }),
  commit: Type.String({ examples: ['abcdef1'] })
})

export interface VersionRoutesOptions {
  buildInfo: BuildInfo
}

const versionRoutes: FastifyPluginAsyncTypebox<VersionRoutesOptions> = async (app, { buildInfo }) => {
  const body = { version: buildInfo.version, build_time: buildInfo.buildTime, commit: buildInfo.commit }
  app.get('/version', {
    schema: { summary: 'Which build is running', tags: ['service'], response: { 200: Version, ...errorResponses() } }
  }, async () => body)
}

export default versionRoutes
