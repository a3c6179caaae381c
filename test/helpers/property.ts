import { relative } from 'node:path'
import fc from 'fast-check'

// Fixed, so that every run, CI's included, checks the same cases. FC_SEED explores others.
const DEFAULT_SEED = 20261128

interface Reporter { pass: (message: string) => void, fail: (message: string) => void }

/**
 * Checks a property with a fixed seed (FC_SEED and FC_RUNS override it and the number of runs).
 * A failure reports the smallest counterexample and the command that replays exactly it.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]> (t: Reporter, property: fc.IAsyncPropertyWithHooks<Ts>,
  { numRuns = 300, examples = [] }: { numRuns?: number, examples?: Ts[] } = {}) {
  const seed = Number(process.env.FC_SEED ?? DEFAULT_SEED)
  const details = await fc.check(property, { seed, numRuns: Number(process.env.FC_RUNS ?? numRuns), path: process.env.FC_PATH, examples })
  if (details.failed) {
    const replay = `FC_SEED=${seed} FC_PATH=${details.counterexamplePath} npx tap --disable-coverage ${relative(process.cwd(), process.argv[1])}`
    t.fail(`${fc.defaultReportMessage(details)}\nReplay it with: ${replay}`)
  } else {
    t.pass(`${details.numRuns} runs with seed ${seed}`)
  }
}
