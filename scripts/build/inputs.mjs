// What the bundle is made from: the one list that the build's staleness check (scripts/build/
// staleness.mjs, which `npm start` and `task build` ask), the Dockerfile's builder stage (a test
// compares its COPY lines with it) and the tests' copies of the build context go by.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

/** Files and folders (ending in /), relative to the project's root. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build/', 'src/']

/** Every file of the build inputs, as absolute paths. @param {string} [root] */
function buildInputFiles (root = ROOT) {
  return BUILD_INPUTS.flatMap(input => input.endsWith('/')
    ? readdirSync(join(root, input), { recursive: true, encoding: 'utf8' }).map(file => join(root, input, file)).filter(file => statSync(file).isFile())
    : [join(root, input)])
}

export { BUILD_INPUTS, buildInputFiles }
