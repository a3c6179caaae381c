// esbuild's text loader turns an imported .csv file into its contents (see scripts/build.mjs).
declare module '*.csv' {
  const text: string
  export default text
}
