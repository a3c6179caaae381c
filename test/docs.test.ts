import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import GithubSlugger from 'github-slugger'
import { Lexer, type Token, type Tokens } from 'marked'
import t from 'tap'
import { buildTestApp } from './helpers/app'
import { ROOT } from './helpers/root'

// The README and docs/ are read on GitHub or GitLab: every relative link must lead to a file, and
// every #anchor to a heading of that file, as those sites make them.
const pages = ['README.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
  .filter(file => file.endsWith('.md')).map(file => join('docs', file))]

/** Every token of a Markdown page, nested ones (in lists, tables, emphasis) included. */
function tokensOf (file: string): Token[] {
  const all: Token[] = []
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      all.push(token)
      const nested = token as Token & { tokens?: Token[], items?: Token[], header?: Array<{ tokens: Token[] }>, rows?: Array<Array<{ tokens: Token[] }>> }
      walk([...(nested.tokens ?? []), ...(nested.items ?? []), ...[...(nested.header ?? []), ...(nested.rows ?? []).flat()].flatMap(cell => cell.tokens)])
    }
  }
  walk(new Lexer().lex(readFileSync(file, 'utf8')))
  return all
}

/** The anchors of a page's headings, as GitHub makes them. */
function anchorsOf (file: string): Set<string> {
  const slugger = new GithubSlugger()
  return new Set(tokensOf(file).filter((token): token is Tokens.Heading => token.type === 'heading').map(heading => slugger.slug(heading.text.replace(/`/g, ''))))
}

/** The relative links of a page (a file's absolute path) that lead nowhere: a missing file, or a heading that is not there. */
function deadLinks (file: string): string[] {
  const links = tokensOf(file).filter((token): token is Tokens.Link => token.type === 'link').map(link => link.href).filter(href => !/^[a-z]+:/i.test(href))
  return links.filter(href => {
    const [path, anchor] = href.split('#')
    const target = path ? join(dirname(file), decodeURI(path)) : file
    if (!existsSync(target)) return true
    return anchor !== undefined && !(target.endsWith('.md') && anchorsOf(target).has(anchor))
  })
}

t.test('every relative link and #anchor of the README and docs/ leads somewhere', async t => {
  t.ok(pages.includes('docs/kubernetes.md') && pages.includes('docs/benchmark/results.md'), pages.join(', '))
  for (const page of pages) t.same(deadLinks(join(ROOT, page)), [], page)
})

t.test('a link to a missing page, a missing heading or an anchor into what is no page is dead', async t => {
  const dir = t.testdir({
    'a.md': '# A\n\n## When a rollout `cannot` succeed\n\n| x |\n|---|\n| [in a table](missing.md) |\n\n- [ok](b.md#task-k8sdeploy) and [self](#when-a-rollout-cannot-succeed)\n' +
      '- [no heading](b.md#nowhere), [a folder](sub#x), [a file](sub/file.txt), [web](https://example.com/x#y)\n',
    'b.md': '# task k8s:deploy\n',
    sub: { 'file.txt': 'x' }
  })
  t.same(deadLinks(join(dir, 'a.md')), ['missing.md', 'b.md#nowhere', 'sub#x'])
})

t.test('the README is what a workshop participant reads in ten minutes; each page of docs/ at most about 300 lines', async t => {
  const lines = (page: string) => readFileSync(join(ROOT, page), 'utf8').split('\n').length
  t.ok(lines('README.md') <= 200, `README.md: ${lines('README.md')} lines`)
  for (const page of pages.filter(page => page !== 'README.md')) t.ok(lines(page) <= 320, `${relative('docs', page)}: ${lines(page)} lines`)
})

t.test('every `curl -s localhost:8000/…` example of the README and docs/ shows what the server answers', async t => {
  // The examples' own build and day: /version's stamp, and /date/today on 27 November.
  const app = await buildTestApp(t, {
    buildInfo: { version: 'v1.0.0-2-g1a64609', buildTime: '2026-11-27T18:18:09Z', commit: '1a64609' },
    clock: () => new Date('2026-11-27T12:00:00Z')
  })
  const examples = pages.flatMap(page => [...readFileSync(join(ROOT, page), 'utf8').matchAll(/^\$ curl -s '?localhost:8000(\S+?)'?\n(.+)$/gm)]
    .map(([, path, answer]) => ({ page, path, answer })))
  t.ok(examples.length >= 5, `${examples.length} examples`)
  for (const { page, path, answer } of examples) {
    // "…" stands for what an example leaves out: any value.
    const shown = JSON.parse(answer.replaceAll('[…]', '"…"'))
    const real = (await app.inject(path)).json()
    const elided = (example: unknown, actual: unknown): unknown => {
      if (example === '…') return '…'
      if (Array.isArray(actual)) return actual.map((value, index) => elided((example as unknown[] | undefined)?.[index], value))
      if (!actual || typeof actual !== 'object') return actual
      return Object.fromEntries(Object.entries(actual).map(([key, value]) => [key, elided((example as Record<string, unknown> | undefined)?.[key], value)]))
    }
    t.same(shown, elided(shown, real), `${page}: ${path}`)
  }
})
