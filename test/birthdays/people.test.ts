import { join } from 'node:path'
import t from 'tap'
import { DAYS_OF_THE_YEAR, calendarDayOf } from '../../src/birthdays/calendar'
import { MAX_NAME_LENGTH } from '../../src/birthdays/names'
import { PeopleFileError, parsePeople, readPeopleFile } from '../../src/birthdays/people'
import { readBundledPeople } from '../helpers/people'
import { writePeopleFile } from '../../scripts/lib/people-file.mjs'

const TODAY = new Date('2026-11-27T12:00:00Z')
const parse = async (text: string) => [...await parsePeople(Buffer.from(text), 'team.csv', TODAY)]

t.test('a good file is read whole', async t => {
  t.same(await parse('name,birth_date\nAda Lovelace,1815-12-10\nAlan Turing,1912-06-23\n'), [
    { name: 'Ada Lovelace', born: 1815, month: 12, day: 10 },
    { name: 'Alan Turing', born: 1912, month: 6, day: 23 }
  ])
})

t.test('what spreadsheets write is read too', async t => {
  const expected = [{ name: 'Lovelace, Ada', born: 1815, month: 12, day: 10 }, { name: 'Leap Baby', born: 2004, month: 2, day: 29 }]
  t.same(await parse('\uFEFFname,birth_date\r\n"Lovelace, Ada",1815-12-10\r\nLeap Baby,2004-02-29\r\n'), expected, 'BOM, CRLF, quoted comma')
  t.same(await parse('name,birth_date\n\n  "Lovelace, Ada" , 1815-12-10 \n\nLeap Baby,2004-02-29'), expected, 'blank lines, spaces, no final newline')
  t.same((await parse('name,birth_date\nToday Born,2026-11-27\n'))[0].born, 2026, 'born today is not the future')
})

t.test('a bad file is refused with the file, the line and the problem', async t => {
  // Where (the file, and the line unless the whole file is at fault) and what is wrong there; the
  // wording around them is the code's.
  const cases: Array<[string, string, number | undefined, RegExp]> = [
    ['wrong header', 'name,birthday\nAda,1815-12-10\n', 1, /header "name,birth_date".*"name,birthday"/],
    ['header only', 'name,birth_date\n', undefined, /no people/],
    ['empty', '', undefined, /no people/],
    ['empty name', 'name,birth_date\nAda,1815-12-10\n,1912-06-23\n', 3, /name is empty/],
    ['long name', `name,birth_date\n${'x'.repeat(MAX_NAME_LENGTH + 1)},1912-06-23\n`, 2, new RegExp(`longer than ${MAX_NAME_LENGTH} characters`)],
    ['control character', 'name,birth_date\n"Ada\u0007",1815-12-10\n', 2, /control characters/],
    ['right-to-left override', 'name,birth_date\nAda,1815-12-10\n\u202eAda,1815-12-10\n', 3, /invisible formatting characters.*U\+202E/],
    ['101 emoji', `name,birth_date\n${'🎂'.repeat(MAX_NAME_LENGTH + 1)},1912-06-23\n`, 2, new RegExp(`longer than ${MAX_NAME_LENGTH} characters`)],
    ['bad date', 'name,birth_date\nAda,10/12/1815\n', 2, /"10\/12\/1815" is not a real date.*YYYY-MM-DD/],
    ['impossible date', 'name,birth_date\nAda,1815-02-30\n', 2, /"1815-02-30" is not a real date/],
    ['29 February of a common year', 'name,birth_date\nAda,2023-02-29\n', 2, /"2023-02-29" is not a real date/],
    ['empty date', 'name,birth_date\nAda,\n', 2, /"" is not a real date/],
    ['future date', 'name,birth_date\nAda,2026-11-28\n', 2, /"2026-11-28" is in the future/],
    ['duplicate row', 'name,birth_date\nAda,1815-12-10\nAlan,1912-06-23\nada,1815-12-10\n', 4, /duplicate of line 2/],
    ['duplicates: the first one in the file', 'name,birth_date\nBob,1950-01-01\nAda,1815-12-10\nADA,1815-12-10\nbob,1950-01-01\nAda,1815-12-10\n', 4, /duplicate of line 3/],
    ['a duplicate in other letters\' case', 'name,birth_date\nÉmile Zola,1840-04-02\nÉMILE ZOLA,1840-04-02\n', 3, /duplicate of line 2/],
    ['a name over two lines', 'name,birth_date\n"Ada\nAda",1815-12-10\n\n"ada\nada",1815-12-10\n', 3, /control characters/],
    ['a duplicate after blank lines', 'name,birth_date\n\nAda,1815-12-10\n\n\nAda,1815-12-10\n', 6, /duplicate of line 3/],
    ['too many fields', 'name,birth_date\nAda,1815-12-10,extra\n', 2, /not valid CSV/],
    ['unclosed quote', 'name,birth_date\n"Ada,1815-12-10\n', 2, /not valid CSV/]
  ]
  for (const [problem, text, line, what] of cases) {
    const where = line === undefined ? 'team.csv: ' : `team.csv, line ${line}: `
    const error = await parse(text).then(() => undefined, (error: Error) => error)
    t.match(error, { name: 'PeopleFileError' }, problem)
    t.ok(error?.message.startsWith(where), `${problem}: ${where}`)
    t.match(error?.message, what, `${problem}: ${error?.message}`)
  }
})

t.test('the same name on another date, or another name on the same date, is another person', async t => {
  const people = await parse('name,birth_date\nAda,1815-12-10\nAda,1816-12-10\nAda,1815-12-11\nAda Byron,1815-12-10\nK\u212Aate,1990-01-01\nkkate,1991-01-01\n')
  t.equal(people.length, 6)
  await t.rejects(parse('name,birth_date\nKate,1990-01-01\n\u212Aate,1990-01-01\n'), { message: 'team.csv, line 3: duplicate of line 2' },
    'the Kelvin sign is a K in lower case: the same name')
})

t.test('a file over the size limit is refused before it is read, with the limit and how to raise it', async t => {
  const dir = t.testdir({ 'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n' })
  const path = join(dir, 'team.csv')
  t.equal([...await readPeopleFile(path, { maxBytes: 40 })].length, 1, 'a file of exactly the limit is read')
  await t.rejects(readPeopleFile(path, { maxBytes: 39, howToAllowMore: 'set LIMIT higher' }),
    { name: 'PeopleFileError', message: `${path}: the file is 40 bytes, more than the 39 bytes allowed: set LIMIT higher` })
})

t.test('a generated file of 100,000 people is read whole', async t => {
  const path = join(t.testdir(), 'company.csv')
  await writePeopleFile(path, 100_000)
  const people = [...await readPeopleFile(path)]
  t.equal(people.length, 100_000)
  t.same(people[0], { name: 'Ada Perlman 1', born: 1925, month: 4, day: 10 }, 'the first row is the first person')
  t.equal(people[99_999].name, 'Bjarne Lovelace 100000', 'the last row is the last person')
  await t.rejects(readPeopleFile(path, { maxBytes: 2 * 2 ** 20 }), { message: `${path}: the file is 3.0 MiB, more than the 2.0 MiB allowed` }, 'in MiB')
})

t.test('names are counted in characters: 100 emoji are a name', async t => {
  t.equal((await parse(`name,birth_date\n${'🎂'.repeat(MAX_NAME_LENGTH)},1912-06-23\n`))[0].name, '🎂'.repeat(MAX_NAME_LENGTH))
})

t.test('a file that is not UTF-8 is refused at its first line that is not, and nothing is loaded', async t => {
  const dir = t.testdir({
    'latin1.csv': Buffer.from('name,birth_date\nAda,1815-12-10\nZo\xe9,1990-01-01\n', 'latin1'),
    'utf16.csv': Buffer.from('\uFEFFname,birth_date\nAda,1815-12-10\n', 'utf16le'),
    'cut.csv': Buffer.concat([Buffer.from('name,birth_date\nAda,1815-12-10\nZo'), Buffer.from([0xc3]), Buffer.from('\n')]),
    'utf8.csv': '\uFEFFname,birth_date\r\nZoë,1990-01-01\r\nAda,1815-12-10'
  })
  await t.rejects(readPeopleFile(join(dir, 'latin1.csv')), { message: `${join(dir, 'latin1.csv')}, line 3: not valid UTF-8 text (save the file as UTF-8)` })
  await t.rejects(readPeopleFile(join(dir, 'utf16.csv')), { message: `${join(dir, 'utf16.csv')}, line 1: not valid UTF-8 text (save the file as UTF-8)` })
  await t.rejects(readPeopleFile(join(dir, 'cut.csv')), { message: `${join(dir, 'cut.csv')}, line 3: not valid UTF-8 text (save the file as UTF-8)` })
  t.same([...await readPeopleFile(join(dir, 'utf8.csv'))].map(person => person.name), ['Zoë', 'Ada'], 'UTF-8 with a BOM and CRLF is read as written')
})

t.test('a file that cannot be read is refused with its path', async t => {
  const dir = t.testdir({ 'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n', 'folder.csv': {} })
  t.same([...await readPeopleFile(join(dir, 'team.csv'))], [{ name: 'Ada Lovelace', born: 1815, month: 12, day: 10 }])
  await t.rejects(readPeopleFile(join(dir, 'missing.csv')), new PeopleFileError(join(dir, 'missing.csv'), 'cannot read the file (ENOENT)'))
  await t.rejects(readPeopleFile(join(dir, 'folder.csv')), new PeopleFileError(join(dir, 'folder.csv'), 'cannot read the file (EISDIR)'))
})

t.test('the bundled people', async t => {
  const bundledPeople = [...await readBundledPeople()]
  t.ok(bundledPeople.length >= 500, `${bundledPeople.length} people`)
  const days = new Set(bundledPeople.map(person => calendarDayOf(person.month, person.day)?.index))
  t.comment(`the bundled people cover ${days.size} of ${DAYS_OF_THE_YEAR.length} days of the year`)
  t.equal(days.size, DAYS_OF_THE_YEAR.length, 'every day of the year has someone, 29 February included')
  const bornOn = (month: number, day: number) => bundledPeople.filter(p => p.month === month && p.day === day).map(p => p.name)
  t.ok(bornOn(11, 2).includes('David Schwimmer'))
  t.same(bornOn(11, 11).filter(name => ['Leonardo DiCaprio', 'Demi Moore', 'Stanley Tucci'].includes(name)).length, 3)
  t.ok(bornOn(12, 25).includes('Humphrey Bogart') && bornOn(12, 25).includes('Annie Lennox'))
})

t.test('a corpus of bad and odd people files: a clear error or a correct load, never a crash or a hang', async t => {
  const header = 'name,birth_date\n'
  const rows = (count: number) => Array.from({ length: count }, (_, i) => `Person ${i},${1900 + (i % 120)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`).join('\n')
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151) % 256)).toString('latin1')
  const corpus: Array<[string, string, string | number]> = [
    ['empty', '', 'no people in the file'],
    ['header only', header, 'no people in the file'],
    ['header only, with a BOM and CRLF', '\uFEFFname,birth_date\r\n', 'no people in the file'],
    ['BOM and CRLF', `\uFEFF${header.replace('\n', '\r\n')}Ada,1815-12-10\r\n`, 1],
    ['quoted commas and quotes', `${header}"Lovelace, Ada ""the Enchantress""",1815-12-10\n`, 1],
    ['impossible dates', `${header}Ada,1815-13-10\n`, 'line 2: birth_date "1815-13-10" is not a real date'],
    ['a date with time', `${header}Ada,1815-12-10T00:00:00Z\n`, 'is not a real date'],
    ['a far-future date', `${header}Ada,9999-12-31\n`, 'is in the future'],
    ['a 1 MB line', `${header}${'x'.repeat(1024 * 1024)},1815-12-10\n`, `the name is longer than ${MAX_NAME_LENGTH} characters`],
    ['a 1 MB field of quotes', `${header}"${'""'.repeat(512 * 1024)}",1815-12-10\n`, `the name is longer than ${MAX_NAME_LENGTH} characters`],
    ['binary bytes', binary, 'line 1: '],
    ['binary bytes after the header', `${header}${binary}`, 'team.csv, line '],
    ['a NUL in a name', `${header}Ada\u0000,1815-12-10\n`, 'the name contains control characters'],
    ['one column', `${header}Ada\n`, 'not valid CSV'],
    ['semicolons', 'name;birth_date\nAda;1815-12-10\n', 'expected the header "name,birth_date", found "name;birth_date"'],
    ['a long wrong header', `${'h'.repeat(500)},x\nAda,1815-12-10\n`, `expected the header "name,birth_date", found "${'h'.repeat(60)}…"`],
    ['a long date', `${header}Ada,${'9'.repeat(5000)}\n`, `birth_date "${'9'.repeat(60)}…" is not a real date`],
    ['UTF-16', Buffer.from(`\uFEFF${header}Ada,1815-12-10\n`, 'utf16le').toString('utf8'), 'not valid CSV'],
    ['10 000 rows', `${header}${rows(10_000)}\n`, 10_000],
    ['10 000 rows, one bad at the end', `${header}${rows(9_999)}\nLast,2001-02-29\n`, 'line 10001: birth_date "2001-02-29" is not a real date']
  ]
  for (const [name, text, expected] of corpus) {
    const started = Date.now()
    if (typeof expected === 'number') {
      t.equal((await parse(text)).length, expected, name)
    } else {
      const error = await parse(text).then(() => undefined, (error: Error) => error)
      t.equal(error?.name, 'PeopleFileError', name)
      t.ok(error?.message.startsWith('team.csv') && error.message.includes(expected), `${name}: ${error?.message}`)
      t.notMatch(error?.message, /\p{Cc}/u, `${name}: one printable line`)
      t.ok(error!.message.length < 300, `${name}: short`)
    }
    t.ok(Date.now() - started < 10_000, `${name}: no hang`)
  }
})
