// After `task image:upload`: the digest it pushed, from buildx's --metadata-file, as the one
// reference that never moves, REPOSITORY@sha256:…; printed, and kept in .task/image-ref for the
// tasks that take IMAGE (image:check, image:tag, image:sign, image:verify, k8s:deploy's K8S_IMAGE).
//   node scripts/publish/pushed.mjs REPOSITORY METADATA_FILE
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

const [repository, metadataFile] = process.argv.slice(2)
const reference = `${repository}@${JSON.parse(readFileSync(metadataFile, 'utf8'))['containerimage.digest']}`
mkdirSync('.task', { recursive: true })
writeFileSync('.task/image-ref', `${reference}\n`)
console.log(`Pushed ${reference}`)
