import { join } from 'node:path'

/** The project's folder. (Apart from app.ts, so that a test that needs only this loads no Fastify.) */
export const ROOT = join(__dirname, '..', '..')
