import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { loadSwagger } from '../lib/openapi/documents.js'

// @fastify/swagger is an optional peer dependency. The suite has it installed, so an application
// without it runs in a child process where a resolve hook makes the package missing
// (fixtures/without-swagger.ts); what its user meets is a configuration error that says what to
// install, whether documents are asked for at start-up (docs) or later (apiVersions.document).

const fixture = fileURLToPath(new URL('./fixtures/without-swagger.ts', import.meta.url))

t.test('without @fastify/swagger, asking for documents fails with a configuration error naming the package to install', async t => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8' })
  const seen = JSON.parse(stdout)
  const expected = {
    code: 'ERR_API_VERSION_CONFIG',
    message: 'fastify-date-versioning: OpenAPI documents (the docs option, apiVersions.document and the contract guard) need ' +
      "@fastify/swagger, an optional peer dependency: npm install @fastify/swagger (Cannot find package '@fastify/swagger' imported from " +
      `${new URL('../lib/openapi/documents.ts', import.meta.url).href}).`
  }
  t.same(seen.docs, expected, 'the docs option fails at registration')
  t.same(seen.document, expected, 'apiVersions.document rejects')
})

t.test('the error names what the import said, in this process too', async t => {
  await t.rejects(loadSwagger(async () => { throw new Error("Cannot find package '@fastify/swagger'") }), {
    code: 'ERR_API_VERSION_CONFIG',
    message: "fastify-date-versioning: OpenAPI documents (the docs option, apiVersions.document and the contract guard) need @fastify/swagger, an optional peer dependency: npm install @fastify/swagger (Cannot find package '@fastify/swagger')."
  })
})
