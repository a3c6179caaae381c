import t from 'tap'
import { compileConfigValidator, readConfig } from '../../src/startup/config'
import { peopleFileLimit } from '../../src/startup/people-limit'

const validateConfig = compileConfigValidator()

t.test('the largest people file is PEOPLE_FILE_MAX_MIB, or by default what both the memory and V8\'s heap hold', async t => {
  const MiB = 2 ** 20
  const config = readConfig({}, validateConfig)
  const limit = (memoryMiB: number, heapMiB: number) => peopleFileLimit(config, { memoryBytes: memoryMiB * MiB, heapLimitBytes: heapMiB * MiB })
  // The defaults of Node.js 24 in a container: a heap limit of 268 MiB up to 512 MiB of memory.
  t.ok(limit(64, 268).maxBytes < 3 * MiB, 'docker run --memory 64m: under the 3 MiB that loaded there, 4 MiB was OOMKilled')
  t.match(limit(64, 268).howToAllowMore, /^64 MiB of memory holds no more; give the process 50 MiB plus 5 MiB for each MiB of the file, or set PEOPLE_FILE_MAX_MIB/)
  t.ok(limit(256, 268).maxBytes >= 31 * MiB, 'the Kubernetes deployment\'s 256 MiB holds a million people (31 MiB)')
  t.ok(limit(256, 268).maxBytes < 56 * MiB, 'under the 56 MiB that loaded there, 64 MiB was OOMKilled')
  t.ok(limit(24 * 1024, 76).maxBytes < 16 * MiB, '--max-old-space-size=64 (a heap of 76 MiB): under the 16 MiB that loaded, 20 MiB ran out of heap')
  t.match(limit(24 * 1024, 76).howToAllowMore, /^V8's heap limit of 76 MiB holds no more; raise it \(--max-old-space-size, in NODE_OPTIONS\) to 40 MiB plus 3 MiB for each MiB of the file/)
  t.equal(limit(32, 268).maxBytes, 0, 'less memory than the server takes: no file at all')
  const setting = peopleFileLimit(readConfig({ PEOPLE_FILE_MAX_MIB: '100' }, validateConfig), { memoryBytes: 64 * MiB, heapLimitBytes: 76 * MiB })
  t.same(setting, { maxBytes: 100 * MiB, howToAllowMore: 'set PEOPLE_FILE_MAX_MIB higher (docs/configuration.md, "How many people")' }, 'the setting wins')
})
