// Waiting for a condition, with a deadline: shared by the benchmark and the tests.
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Asks check() every intervalMs until it resolves truthy, and resolves with that; resolves with
 * undefined once timeoutMs have passed. A check that throws counts as not yet.
 * @template T
 * @param {() => Promise<T> | T} check @param {number} timeoutMs @param {number} [intervalMs]
 * @returns {Promise<T | undefined>}
 */
async function waitFor (check, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await Promise.resolve().then(check).catch(() => undefined)
    if (result) return result
    if (Date.now() >= deadline) return undefined
    await sleep(intervalMs)
  }
}

export { waitFor }
