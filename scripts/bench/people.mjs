// The benchmark's people files: start-up and memory with a generated PEOPLE_FILE of each size,
// spawn to the first answer for a day (its people sorted on that request), and the RSS then.
import { rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writePeopleFile } from '../lib/people-file.mjs'
import { rssBytes } from '../lib/processes.mjs'
import { median } from './report.mjs'

const MiB = 1024 * 1024

/**
 * @param {{ server: import('./servers.mjs').BenchServer, rows: number[], starts: number, work: string,
 *   starter: ReturnType<typeof import('./servers.mjs').serverStarter>, say: (message: string) => void }} options
 */
export async function peopleFiles ({ server, rows: sizes, starts, work, starter: { start, stop }, say }) {
  const people = []
  for (const rows of sizes) {
    const file = join(work, `people-${rows}.csv`)
    await writePeopleFile(file, rows)
    say(`${rows} people (${(statSync(file).size / MiB).toFixed(1)} MiB): ${starts} start(s)`)
    const measured = []
    for (let i = 0; i < starts; i++) {
      const started = performance.now()
      const running = await start({ ...server, env: { ...server.env, PEOPLE_FILE: file } }, { pollMs: 5, readyPath: '/date/1-March' })
      measured.push({ seconds: (performance.now() - started) / 1000, rssMiB: rssBytes(/** @type {number} */ (running.child.pid)) / MiB })
      await stop(running)
    }
    people.push({ rows, fileMiB: statSync(file).size / MiB, startupSeconds: median(measured.map(s => s.seconds)), rssMiB: median(measured.map(s => s.rssMiB)) })
    rmSync(file)
  }
  return people
}
