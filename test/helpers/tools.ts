import { execFileSync } from 'node:child_process'
import type { Test } from 'tap'

/**
 * Whether a tool these tests drive is here. Without it the test file is skipped with the reason
 * printed, except under CI=true, where a missing tool is a failure: CI must run these tests.
 */
export function hasTool (t: Test, command: string, args: string[], why: string): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' })
    return true
  } catch (error) {
    const reason = `${command} is not available (${(error as Error).message.split('\n')[0]}): ${why}`
    if (process.env.CI === 'true') t.fail(`${reason}; CI=true requires it (.ci/run runs ../shared/container-lab/setup)`)
    else t.plan(0, reason)
    return false
  }
}
