// What esbuild puts into the code at bundle time (scripts/build/), declared for TypeScript.

/** The build's version, time and commit: esbuild's `define`. */
declare const BUILD_INFO: import('./build-info').BuildInfo

/** The OpenAPI document, made from the route schemas at bundle time: esbuild's `define`. */
declare const API_DOCUMENT: object

/** src/data/people.csv, bundled as the people it lists: parsed and checked at build time. */
declare module '*.csv' {
  const people: Array<import('../birthdays/birthday-book').Person>
  export default people
}

/** The route schemas' validators and serializers and the settings' validator, compiled at bundle time (see compiled-schemas.ts). */
declare module 'virtual:compiled-schemas' {
  const compiledSchemas: import('./compiled-schemas').CompiledSchemas
  export default compiledSchemas
}
