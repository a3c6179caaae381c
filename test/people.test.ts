import { join } from 'node:path'
import t from 'tap'
import { DAYS_OF_THE_YEAR, calendarDayOf } from '../src/birthdays/calendar'
import { MAX_NAME_LENGTH, PeopleFileError, parsePeople, readPeopleFile } from '../src/birthdays/people'
import { bundledPeople } from './helpers/app'

const TODAY = new Date('2026-11-27T12:00:00Z')
const parse = (text: string) => parsePeople(text, 'team.csv', TODAY)

t.test('a good file is read whole', async t => {
  t.same(parse('name,birth_date\nAda Lovelace,1815-12-10\nAlan Turing,1912-06-23\n'), [
    { name: 'Ada Lovelace', born: 1815, month: 12, day: 10 },
    { name: 'Alan Turing', born: 1912, month: 6, day: 23 }
  ])
})

t.test('what spreadsheets write is read too', async t => {
  const expected = [{ name: 'Lovelace, Ada', born: 1815, month: 12, day: 10 }, { name: 'Leap Baby', born: 2004, month: 2, day: 29 }]
  t.same(parse('\uFEFFname,birth_date\r\n"Lovelace, Ada",1815-12-10\r\nLeap Baby,2004-02-29\r\n'), expected, 'BOM, CRLF, quoted comma')
  t.same(parse('name,birth_date\n\n  "Lovelace, Ada" , 1815-12-10 \n\nLeap Baby,2004-02-29'), expected, 'blank lines, spaces, no final newline')
  t.same(parse('name,birth_date\nToday Born,2026-11-27\n')[0].born, 2026, 'born today is not the future')
})

t.test('a bad file is refused with the file, the line and the problem', async t => {
  const cases: Array<[string, string, string]> = [
    ['wrong header', 'name,birthday\nAda,1815-12-10\n', 'team.csv, line 1: expected the header "name,birth_date", found "name,birthday"'],
    ['header only', 'name,birth_date\n', 'team.csv: no people in the file'],
    ['empty', '', 'team.csv: no people in the file'],
    ['empty name', 'name,birth_date\nAda,1815-12-10\n,1912-06-23\n', 'team.csv, line 3: the name is empty'],
    ['long name', `name,birth_date\n${'x'.repeat(MAX_NAME_LENGTH + 1)},1912-06-23\n`, `team.csv, line 2: the name is longer than ${MAX_NAME_LENGTH} characters`],
    ['control character', 'name,birth_date\n"Ada\u0007",1815-12-10\n', 'team.csv, line 2: the name contains control characters'],
    ['bad date', 'name,birth_date\nAda,10/12/1815\n', 'team.csv, line 2: birth_date "10/12/1815" is not a real date in the form YYYY-MM-DD'],
    ['impossible date', 'name,birth_date\nAda,1815-02-30\n', 'team.csv, line 2: birth_date "1815-02-30" is not a real date'],
    ['29 February of a common year', 'name,birth_date\nAda,2023-02-29\n', 'team.csv, line 2: birth_date "2023-02-29" is not a real date'],
    ['empty date', 'name,birth_date\nAda,\n', 'team.csv, line 2: birth_date "" is not a real date'],
    ['future date', 'name,birth_date\nAda,2026-11-28\n', 'team.csv, line 2: birth_date "2026-11-28" is in the future'],
    ['duplicate row', 'name,birth_date\nAda,1815-12-10\nAlan,1912-06-23\nada,1815-12-10\n', 'team.csv, line 4: duplicate of line 2'],
    ['too many fields', 'name,birth_date\nAda,1815-12-10,extra\n', 'team.csv, line 2: not valid CSV (Invalid Record Length: expect 2, got 3'],
    ['unclosed quote', 'name,birth_date\n"Ada,1815-12-10\n', 'team.csv, line 2: not valid CSV (Quote Not Closed']
  ]
  for (const [problem, text, message] of cases) {
    t.throws(() => parse(text), { name: 'PeopleFileError', message }, problem)
  }
})

t.test('a file that cannot be read is refused with its path', async t => {
  const dir = t.testdir({ 'team.csv': 'name,birth_date\nAda Lovelace,1815-12-10\n', 'folder.csv': {} })
  t.same(await readPeopleFile(join(dir, 'team.csv')), [{ name: 'Ada Lovelace', born: 1815, month: 12, day: 10 }])
  await t.rejects(readPeopleFile(join(dir, 'missing.csv')), new PeopleFileError(join(dir, 'missing.csv'), 'cannot read the file (ENOENT)'))
  await t.rejects(readPeopleFile(join(dir, 'folder.csv')), new PeopleFileError(join(dir, 'folder.csv'), 'cannot read the file (EISDIR)'))
})

t.test('the bundled people', async t => {
  t.ok(bundledPeople.length >= 500, `${bundledPeople.length} people`)
  const days = new Set(bundledPeople.map(person => calendarDayOf(person.month, person.day)?.index))
  t.comment(`the bundled people cover ${days.size} of ${DAYS_OF_THE_YEAR.length} days of the year`)
  t.equal(days.size, DAYS_OF_THE_YEAR.length, 'every day of the year has someone, 29 February included')
  const bornOn = (month: number, day: number) => bundledPeople.filter(p => p.month === month && p.day === day).map(p => p.name)
  t.ok(bornOn(11, 2).includes('David Schwimmer'))
  t.same(bornOn(11, 11).filter(name => ['Leonardo DiCaprio', 'Demi Moore', 'Stanley Tucci'].includes(name)).length, 3)
  t.ok(bornOn(12, 25).includes('Humphrey Bogart') && bornOn(12, 25).includes('Annie Lennox'))
})
