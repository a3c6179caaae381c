// Reading Prometheus's text format in tests: the samples, and the value of one series. (Whether
// the text is valid is promtool's job: test/system/bundle.test.ts.)

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

// name{label="value",…} value — label values escape \, " and newlines.
const SAMPLE_LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g

/** Every sample in an exposition, comments left out. */
export function parseSamples (text: string): Sample[] {
  return text.split('\n').filter(line => line !== '' && !line.startsWith('#')).map(line => {
    const match = SAMPLE_LINE.exec(line)
    if (match === null) throw new Error(`not a sample line: ${line}`)
    const [, name, labels = '', value] = match
    const unescaped = (text: string) => text.replace(/\\(.)/g, (_, char: string) => char === 'n' ? '\n' : char)
    return { name, labels: Object.fromEntries([...labels.matchAll(LABEL)].map(([, label, text]) => [label, unescaped(text)])), value: Number(value) }
  })
}

/** The samples of a metric whose labels include these; their values summed (0 when there is none). */
export function valueOf (samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter(sample => sample.name === name && Object.entries(labels).every(([label, text]) => sample.labels[label] === text))
    .reduce((sum, sample) => sum + sample.value, 0)
}

/** How many series (distinct sets of labels) a metric has. */
export function seriesOf (samples: Sample[], name: string): number {
  return samples.filter(sample => sample.name === name).length
}
