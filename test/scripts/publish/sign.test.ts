import t from 'tap'
import { digestReferences } from '../../../scripts/publish/sign.mjs'

t.test('each digest once: a tag resolved to the digest it points at, a digest as it is', async t => {
  const digests: Record<string, string> = { 'r.example.com:5000/team/app:latest': 'sha256:aaa', 'r.example.com:5000/team/app:v1.0.0': 'sha256:aaa', 'r.example.com:5000/team/app:dev': 'sha256:bbb' }
  const asked: string[] = []
  const digestOf = (image: string) => { asked.push(image); return digests[image] }
  t.same(digestReferences(['r.example.com:5000/team/app:latest', 'r.example.com:5000/team/app:v1.0.0', 'r.example.com:5000/team/app:dev', 'r.example.com:5000/team/app@sha256:ccc'], digestOf),
    ['r.example.com:5000/team/app@sha256:aaa', 'r.example.com:5000/team/app@sha256:bbb', 'r.example.com:5000/team/app@sha256:ccc'], 'a registry\'s port is not a tag')
  t.same(asked, ['r.example.com:5000/team/app:latest', 'r.example.com:5000/team/app:v1.0.0', 'r.example.com:5000/team/app:dev'], 'the registry is asked for tags only')
})
