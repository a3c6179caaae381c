// How big a people file the process can hold: what the memory it may use and V8's heap allow,
// once the server's own share is taken, or PEOPLE_FILE_MAX_MIB. A start-up concern, beside the
// settings: it is about this process's memory, which src/birthdays/ (the file's reading) knows
// nothing of.
import type { Config } from './config'

const MiB = 2 ** 20
const inMiB = (bytes: number) => `${Math.round(bytes / MiB)} MiB`

/**
 * What the server takes before any people, and what each byte of a people file adds at the peak of
 * reading it: of the process's memory (what a container's limit counts) and of V8's heap. Measured
 * in the image (docs/configuration.md, "How many people", has the figures they come from); each
 * with a margin, so that a file under the limit loads.
 */
export const PEOPLE_MEMORY = {
  memory: { base: 50 * MiB, perFileByte: 5 },
  heap: { base: 40 * MiB, perFileByte: 3 }
}

/** How much memory the process may use: its container's (or the machine's), and V8's heap limit. */
export interface MemoryLimits {
  memoryBytes: number
  heapLimitBytes: number
}

/**
 * The largest people file to read, in bytes, and what to do about a bigger one: PEOPLE_FILE_MAX_MIB,
 * or by default what both the memory and V8's heap hold, so that a file too big is refused at once,
 * in one line, rather than the process being killed half-way (OOMKilled, or V8 out of heap).
 */
export function peopleFileLimit (config: Config, { memoryBytes, heapLimitBytes }: MemoryLimits): { maxBytes: number, howToAllowMore: string } {
  const setting = '(docs/configuration.md, "How many people")'
  if (config.PEOPLE_FILE_MAX_MIB !== undefined) {
    return { maxBytes: config.PEOPLE_FILE_MAX_MIB * MiB, howToAllowMore: `set PEOPLE_FILE_MAX_MIB higher ${setting}` }
  }
  const holds = ({ base, perFileByte }: { base: number, perFileByte: number }, limit: number) => Math.max(0, Math.floor((limit - base) / perFileByte))
  const { memory, heap } = PEOPLE_MEMORY
  if (holds(memory, memoryBytes) <= holds(heap, heapLimitBytes)) {
    return {
      maxBytes: holds(memory, memoryBytes),
      howToAllowMore: `${inMiB(memoryBytes)} of memory holds no more; give the process ${inMiB(memory.base)} plus ${memory.perFileByte} MiB for each MiB of the file, ` +
        `or set PEOPLE_FILE_MAX_MIB ${setting}`
    }
  }
  return {
    maxBytes: holds(heap, heapLimitBytes),
    howToAllowMore: `V8's heap limit of ${inMiB(heapLimitBytes)} holds no more; raise it (--max-old-space-size, in NODE_OPTIONS) to ${inMiB(heap.base)} plus ` +
      `${heap.perFileByte} MiB for each MiB of the file, or set PEOPLE_FILE_MAX_MIB ${setting}`
  }
}
