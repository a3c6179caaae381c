// Swagger UI's files for /docs, copied next to the bundle (src/server.ts looks for them there);
// src/routes/docs-assets.json lists them, with their content types.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** @param {string} root the project @param {string} outdir */
export function copyDocsAssets (root, outdir) {
  const swaggerUiDist = join(root, 'node_modules/swagger-ui-dist')
  const files = Object.keys(JSON.parse(readFileSync(join(root, 'src/routes/docs-assets.json'), 'utf8')))
  mkdirSync(join(outdir, 'docs'), { recursive: true })
  for (const file of files) copyFileSync(join(swaggerUiDist, file), join(outdir, 'docs', file))
}
