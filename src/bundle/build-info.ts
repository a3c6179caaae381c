/** What was built, from which commit and when; the bundler fills it in (see scripts/build/). */
export interface BuildInfo {
  /** `git describe --tags --always --dirty`, e.g. v1.2.3-4-gabcdef1; "dev" outside git */
  version: string
  /** UTC, RFC 3339 */
  buildTime: string
  /** short commit hash */
  commit: string
}
