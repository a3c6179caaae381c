import t from 'tap'
import { sbomPackages } from '../../../scripts/publish/sbom.mjs'

// buildx's {{json .SBOM}}: the image's own document (distroless: Debian's packages, when its
// scanner finds them) and one per scanned stage, our bundle's among AdditionalSPDXs.
const runner = { packages: [{ name: 'base-files', versionInfo: '13.8' }] }
const bundle = { packages: [{ name: 'fastify', versionInfo: '5.12.8' }, { name: 'pino', versionInfo: '10.4.0' }, { name: 'hbaas-server' }] }

t.test('the packages of every document, for each platform', async t => {
  t.same(sbomPackages({ 'linux/arm64': { SPDX: {}, AdditionalSPDXs: [bundle] }, 'linux/amd64': { SPDX: runner, AdditionalSPDXs: [bundle, bundle] } }), [
    'linux/amd64 base-files 13.8', 'linux/amd64 fastify 5.12.8', 'linux/amd64 hbaas-server', 'linux/amd64 pino 10.4.0',
    'linux/arm64 fastify 5.12.8', 'linux/arm64 hbaas-server', 'linux/arm64 pino 10.4.0'
  ], 'sorted, each once, a package without a version too')
})

t.test('an image of one platform, and one without an SBOM', async t => {
  t.same(sbomPackages({ SPDX: runner }), ['image base-files 13.8'])
  t.same(sbomPackages(null), [])
})
