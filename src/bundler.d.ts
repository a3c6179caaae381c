// What esbuild puts into the code at bundle time (scripts/build.mjs), declared for TypeScript.

/** The build's version, time and commit: esbuild's `define`. */
declare const BUILD_INFO: import('./build-info').BuildInfo

/** An imported .csv file is its contents: esbuild's text loader. */
declare module '*.csv' {
  const text: string
  export default text
}
