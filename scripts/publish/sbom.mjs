// Lists what the SBOMs attached to a pushed image name: one line per platform and package.
//   node scripts/publish/sbom.mjs IMAGE      (BUILDX_BUILDER and DOCKER_CONFIG as for a push)
// BuildKit attaches one SPDX document for the image's own files (the runner: distroless lists its
// Debian packages there) and one more per scanned stage: our bundle's packages are in the
// `contents` stage's, under AdditionalSPDXs, which is why reading .SBOM.SPDX alone finds none.
import { execFileSync } from 'node:child_process'
import { isMain } from '../lib/main.mjs'

/**
 * @typedef {{ packages?: Array<{ name: string, versionInfo?: string }> }} SpdxDocument
 * @typedef {{ SPDX?: SpdxDocument, AdditionalSPDXs?: SpdxDocument[] }} PlatformSbom
 */

/**
 * Every package of every document, by platform, as `{platform} {name} {version}` lines, sorted.
 * `sbom` is buildx's `{{json .SBOM}}`: keyed by platform for an index, one platform's own
 * otherwise, null without one.
 * @param {Record<string, PlatformSbom> | PlatformSbom | null} sbom
 */
function sbomPackages (sbom) {
  if (!sbom) return []
  const byPlatform = 'SPDX' in sbom ? { image: /** @type {PlatformSbom} */ (sbom) } : /** @type {Record<string, PlatformSbom>} */ (sbom)
  const lines = new Set()
  for (const [platform, { SPDX, AdditionalSPDXs = [] }] of Object.entries(byPlatform)) {
    for (const document of [SPDX, ...AdditionalSPDXs]) {
      for (const { name, versionInfo = '' } of document?.packages ?? []) lines.add(`${platform} ${name} ${versionInfo}`.trim())
    }
  }
  return [...lines].sort()
}

export { sbomPackages }

if (isMain(import.meta)) {
  const json = execFileSync('docker', ['buildx', 'imagetools', 'inspect', process.argv[2], '--format', '{{json .SBOM}}'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  const lines = sbomPackages(JSON.parse(json))
  console.log(lines.length ? lines.join('\n') : `${process.argv[2]} has no SBOM with packages: was it pushed with task image:upload by a builder that attaches one?`)
}
