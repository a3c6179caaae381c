// What the build is made of: every package esbuild put into the bundle (from its metafile), and
// Swagger UI's files. Written twice: sbom.cdx.json, a CycloneDX document shipped with the bundle;
// and packages/node_modules/…/package.json, the same for image scanners (the SBOM that
// `docker buildx build --sbom=true` attaches), which find packages only that way.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { version as esbuildVersion } from 'esbuild'

/**
 * @param {string} root the project @param {string} outdir
 * @param {import('esbuild').Metafile} metafile @param {{ version: string, buildTime: string }} buildInfo
 */
export function writeSbom (root, outdir, metafile, { version, buildTime }) {
  const packageDirs = new Set(['node_modules/swagger-ui-dist'])
  for (const input of Object.keys(metafile.inputs)) {
    const packageDir = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1] // the innermost package
    if (packageDir) packageDirs.add(packageDir)
  }
  const packages = [...packageDirs].sort().map(dir => ({ dir, ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
  const components = new Map() // by purl: two copies of one version are one component
  for (const { name, version: packageVersion, license } of packages) {
    const [, scope, shortName] = name.match(/^(?:(@[^/]+)\/)?(.+)$/)
    const purl = `pkg:npm/${scope ? `${encodeURIComponent(scope)}/` : ''}${shortName}@${packageVersion}`
    components.set(purl, { type: 'library', 'bom-ref': purl, ...(scope && { group: scope }), name: shortName, version: packageVersion, purl, ...(license && { licenses: [{ expression: license }] }) })
  }
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      timestamp: buildTime,
      component: { type: 'application', 'bom-ref': 'hbaas-server', name: 'hbaas-server', version },
      tools: { components: [{ type: 'application', name: 'esbuild', version: esbuildVersion }] }
    },
    components: [...components.values()].sort((a, b) => a.purl < b.purl ? -1 : 1)
  }
  writeFileSync(join(outdir, 'sbom.cdx.json'), `${JSON.stringify(sbom, null, 2)}\n`)
  for (const { dir, name, version: packageVersion, license } of packages) {
    const manifest = join(outdir, 'packages', dir, 'package.json')
    mkdirSync(dirname(manifest), { recursive: true })
    writeFileSync(manifest, `${JSON.stringify({ name, version: packageVersion, license })}\n`)
  }
}
