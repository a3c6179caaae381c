// An esbuild plugin: a .csv file of people, imported by the server (src/data/people.csv), is read
// and checked at build time by the server's own parser, so the bundle holds them ready to use
// and a bad row fails the build rather than the start.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { loadSource } from './load-source.mjs'

/** @param {string} root the project @returns {import('esbuild').Plugin} */
export function parsedPeople (root) {
  return {
    name: 'parsed-people',
    setup (esbuild) {
      esbuild.onLoad({ filter: /\.csv$/ }, async ({ path }) => {
        const { parsePeople } = await loadSource(root, 'src/birthdays/people.ts')
        return { contents: JSON.stringify([...await parsePeople(readFileSync(path), relative(root, path))]), loader: 'json' }
      })
    }
  }
}
