// W3C Trace Context (https://www.w3.org/TR/trace-context/): a caller that traces its requests
// sends `traceparent: {version}-{trace-id}-{parent-id}-{flags}`. The server starts no span of its
// own; it puts the caller's ids in its log lines, so that they join the caller's trace.

/** What a valid traceparent header says, under the names the log lines give it. */
export interface TraceContext {
  /** The whole trace's id: 32 lowercase hex digits. */
  trace_id: string
  /** The caller's span, which this request is a child of: 16 lowercase hex digits. */
  parent_span_id: string
}

// Version 00 is exactly these four fields; a later version may add fields after them, which a
// reader of version 00 ignores. Version ff is forbidden.
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}(-.*)?$/
const ALL_ZEROS = /^0+$/

/**
 * The trace context of a traceparent header, or undefined when there is none or it is not valid
 * (all-zero ids, version ff, a version 00 with more fields, two headers in one): then the request
 * is simply not part of a trace, never an error.
 */
export function parseTraceparent (header: string | string[] | undefined): TraceContext | undefined {
  if (typeof header !== 'string') return undefined
  const match = TRACEPARENT.exec(header)
  if (match === null) return undefined
  const [, version, traceId, parentSpanId, laterFields] = match
  if (version === 'ff' || (version === '00' && laterFields !== undefined)) return undefined
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentSpanId)) return undefined
  return { trace_id: traceId, parent_span_id: parentSpanId }
}
