// After a push (`task image:upload`, `task ci:tools-image`): the digest pushed, from buildx's
// --metadata-file, as the one reference that never moves, REPOSITORY@sha256:…; printed, and kept
// in a file (.task/image-ref by default) for the tasks that take it: image:upload's for
// image:check, image:tag, image:sign, image:verify as IMAGE and k8s:deploy as K8S_IMAGE.
//   node scripts/publish/pushed.mjs REPOSITORY METADATA_FILE [REFERENCE_FILE]
import { readFileSync, writeFileSync } from 'node:fs'

const [repository, metadataFile, referenceFile = '.task/image-ref'] = process.argv.slice(2)
const reference = `${repository}@${JSON.parse(readFileSync(metadataFile, 'utf8'))['containerimage.digest']}`
writeFileSync(referenceFile, `${reference}\n`)
console.log(`Pushed ${reference}`)
