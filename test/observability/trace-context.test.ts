import fc from 'fast-check'
import t from 'tap'
import { parseTraceparent } from '../../src/observability/trace-context'
import { checkProperty } from '../helpers/property'

// The examples of the W3C Trace Context recommendation.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_ID = '00f067aa0ba902b7'

t.test('a valid traceparent gives its trace id and the caller\'s span id', async t => {
  t.same(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-01`), { trace_id: TRACE_ID, parent_span_id: PARENT_ID })
  t.same(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-00`), { trace_id: TRACE_ID, parent_span_id: PARENT_ID }, 'not sampled: still the same trace')
  t.same(parseTraceparent(`cc-${TRACE_ID}-${PARENT_ID}-09-what-comes-later`), { trace_id: TRACE_ID, parent_span_id: PARENT_ID },
    'a later version: its first four fields, the rest ignored')
})

t.test('anything else is no trace context, never an error', async t => {
  const invalid = [
    undefined,
    [`00-${TRACE_ID}-${PARENT_ID}-01`, `00-${TRACE_ID}-${PARENT_ID}-01`],
    '',
    `00-${TRACE_ID}-${PARENT_ID}-01, 00-${TRACE_ID}-${PARENT_ID}-01`, // two headers, as Node.js joins them
    `ff-${TRACE_ID}-${PARENT_ID}-01`, // a forbidden version
    `00-${TRACE_ID}-${PARENT_ID}-01-more`, // version 00 has exactly four fields
    `00-${'0'.repeat(32)}-${PARENT_ID}-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`,
    `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`,
    `00-${TRACE_ID}-${PARENT_ID}0-01`,
    `00-${TRACE_ID}-${PARENT_ID}-1`,
    `0-${TRACE_ID}-${PARENT_ID}-01`,
    ` 00-${TRACE_ID}-${PARENT_ID}-01`,
    `00_${TRACE_ID}_${PARENT_ID}_01`,
    `cc-${TRACE_ID}-${PARENT_ID}-01.later`
  ]
  for (const header of invalid) t.equal(parseTraceparent(header), undefined, JSON.stringify(header))
})

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length })

t.test('property: any header is either refused or read back as exactly the ids it carries', async t => {
  const header = fc.oneof(
    fc.tuple(hex(2), hex(32), hex(16), hex(2)).map(fields => fields.join('-')),
    fc.string(),
    fc.tuple(hex(2), hex(32), hex(16), hex(2), fc.string()).map(([v, trace, parent, flags, rest]) => `${v}-${trace}-${parent}-${flags}-${rest}`)
  )
  await checkProperty(t, fc.asyncProperty(header, async header => {
    const context = parseTraceparent(header)
    if (context === undefined) return
    const [version, traceId, parentId] = header.split('-')
    if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(parentId)) throw new Error(`accepted ${header}`)
    if (context.trace_id !== traceId || context.parent_span_id !== parentId) throw new Error(`misread ${header}`)
  }))
})

t.test('property: every version but ff, with ids not all zeros, is read', async t => {
  const nonZero = (length: number) => hex(length).filter(id => !/^0+$/.test(id))
  await checkProperty(t, fc.asyncProperty(hex(2).filter(version => version !== 'ff'), nonZero(32), nonZero(16), hex(2), async (version, traceId, parentId, flags) => {
    const context = parseTraceparent(`${version}-${traceId}-${parentId}-${flags}`)
    if (context?.trace_id !== traceId || context.parent_span_id !== parentId) throw new Error('not read')
  }))
})
