// tap's coverage map: which files each test file must cover ([] is everything it loads).
// The benchmark test checks tooling, scripts/bench/, not the product, so it is left out.
export default testFile => testFile.endsWith('bench.test.ts') ? null : []
