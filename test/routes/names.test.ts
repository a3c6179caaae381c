import t from 'tap'
import { buildTestApp } from '../helpers/app'

t.test('GET /name/:name greets the decoded name', async t => {
  const app = await buildTestApp(t)
  const res = await app.inject('/name/Benedict%20Cumberbatch')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(res.json(), { message: 'Happy birthday Benedict Cumberbatch!' })
})

t.test('the name is trimmed, and may be any text of 1 to 100 characters', async t => {
  const app = await buildTestApp(t)
  const greet = async (path: string) => (await app.inject(path)).json().message
  t.equal(await greet('/name/%20%20Ada%20'), 'Happy birthday Ada!')
  t.equal(await greet(`/name/${'x'.repeat(100)}`), `Happy birthday ${'x'.repeat(100)}!`)
  t.equal(await greet('/name/Zo%C3%AB%20%F0%9F%8E%82'), 'Happy birthday Zoë 🎂!')
  t.equal(await greet('/name/O\'Brien'), 'Happy birthday O\'Brien!')
  t.equal(await greet(`/name/${'%F0%9F%8E%82'.repeat(100)}`), `Happy birthday ${'🎂'.repeat(100)}!`, '100 emoji are 100 characters')
  t.equal(await greet('/name/%F0%9F%91%A8%E2%80%8D%F0%9F%91%A9%E2%80%8D%F0%9F%91%A7'), 'Happy birthday 👨‍👩‍👧!', 'joiners are allowed')
})

t.test('an empty or over-long name, or one with control or invisible formatting characters, is a 400, not a 404', async t => {
  const app = await buildTestApp(t)
  for (const path of ['/name/', '/name/%20%20%20', `/name/${'x'.repeat(101)}`, `/name/${'x'.repeat(10_000)}`, `/name/${'%F0%9F%8E%82'.repeat(101)}`,
    '/name/A%00da', '/name/Ada%1B%5B31m', '/name/%C2%85Ada', '/name/%E2%80%AEAda', '/name/Ada%E2%80%8B', '/name/A%E2%81%A6da']) {
    const res = await app.inject(path)
    t.equal(res.statusCode, 400, path.slice(0, 30))
    // The rule, said: how long a name may be, and which characters it may not hold.
    t.match(res.json(), { statusCode: 400, error: 'Bad Request', message: /name.*1 to 100 characters.*control or invisible/ })
  }
  t.equal((await app.inject(`/name/%09${'x'.repeat(100)}%0A`)).statusCode, 200, 'surrounding whitespace does not count')
})
