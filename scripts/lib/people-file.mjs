// Generated people files of any size, in the documented form (`name,birth_date`, distinct names,
// birth dates spread over the year and a century): for the benchmark's start-up figures and the
// tests of big files. The same seed gives the same file.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

const FIRST_NAMES = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Tim', 'Radia', 'Guido', 'Hedy', 'Edsger', 'Sophie', 'Bjarne']
const LAST_NAMES = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Berners-Lee', 'Perlman', 'van Rossum', 'Lamarr', 'Dijkstra', 'Wilson', 'Stroustrup']
const DAY_MS = 24 * 60 * 60 * 1000
const FIRST_BIRTH = Date.UTC(1925, 0, 1)
const BIRTH_RANGE_DAYS = 100 * 365

/** A small, fast pseudo-random generator (mulberry32): numbers in [0, 1). @param {number} seed */
function random (seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/**
 * Writes a people file of `rows` people and resolves once it is on disk.
 * @param {string} path @param {number} rows @param {number} [seed]
 */
async function writePeopleFile (path, rows, seed = 1) {
  const next = random(seed)
  const out = createWriteStream(path)
  let chunk = 'name,birth_date\n'
  for (let i = 0; i < rows; i++) {
    // The number makes every name distinct; the two words make it look like one.
    const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(next() * LAST_NAMES.length)]} ${i + 1}`
    const birthDate = new Date(FIRST_BIRTH + Math.floor(next() * BIRTH_RANGE_DAYS) * DAY_MS).toISOString().slice(0, 10)
    chunk += `${name},${birthDate}\n`
    if (chunk.length > 65536) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}

export { writePeopleFile }
