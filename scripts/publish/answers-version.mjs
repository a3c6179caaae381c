// Run inside the image by check-image.mjs (node reads it from stdin): waits up to 10 s for the
// server to answer /version on its own port, and exits 0 if it answers with the version given.
//   docker exec --interactive CONTAINER /nodejs/bin/node - VERSION < answers-version.mjs
const expected = process.argv[2]
const url = `http://127.0.0.1:${process.env.PORT}/version`
const deadline = Date.now() + 10_000

async function check () {
  for (;;) {
    const answer = await fetch(url).then(response => response.json(), () => undefined)
    if (answer) {
      console.log(`${url} answers ${JSON.stringify(answer)}`)
      if (answer.version === expected) return
      throw new Error(`the image answers version ${answer.version}, not ${expected}`)
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 10 s`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

check().catch(error => {
  console.error(error.message)
  process.exitCode = 1
})
