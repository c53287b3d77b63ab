import { buildApp, PREVIEW_HEADER, PREVIEW_TOKEN } from './app.js'

const host = '127.0.0.1'
const port = Number(process.env.PORT ?? 3000)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`PORT must be a port number; received ${JSON.stringify(process.env.PORT)}`)
}

const app = await buildApp({ logger: { level: 'info' } })

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'closing')
    app.close().then(() => process.exit(0), (error: unknown) => {
      app.log.error({ err: error }, 'close failed')
      process.exit(1)
    })
  })
}

const base = await app.listen({ host, port })
const header = app.apiVersions.header
const tries: Array<[string, string]> = [
  ['the latest version, by default', `curl -i ${base}/moves/M-1001`],
  ['an old client: served by 2024-09-01, with person.name', `curl -i -H '${header}: 2025-06-30' ${base}/moves/M-1001`],
  ['a deprecated version: Deprecation, Sunset and Link headers', `curl -i -H '${header}: 2022-03-01' ${base}/moves`],
  ['a sunset version: 410', `curl -i -H '${header}: 2021-01-01' ${base}/moves`],
  ['an endpoint retired in 2024-09-01: 404', `curl -i -X DELETE ${base}/moves/M-1001`],
  ['a preview whose flag is off: 501', `curl -i -H '${header}: 2030-01-01' ${base}/moves/M-1001`],
  ['the same preview with its flag on: 200', `curl -i -H '${header}: 2030-01-01' -H '${PREVIEW_HEADER}: ${PREVIEW_TOKEN}' ${base}/moves/M-1001`],
  ['a date that does not exist: 400', `curl -i -H '${header}: 2024-02-30' ${base}/moves`],
  ['a date in the future: 400', `curl -i -H '${header}: 2029-12-31' ${base}/moves`],
  ['a version-neutral route: no version headers', `curl -i ${base}/health`],
  ['the timeline, and the OpenAPI document of one version', `curl ${base}/api-versions && curl ${base}/api-versions/2022-03-01/openapi.json`]
]
process.stdout.write(`\nMoves API on ${base}: ${header} header, latest version ${app.apiVersions.latest}. Try:\n\n` +
  tries.map(([what, command]) => `  # ${what}\n  ${command}\n`).join('') + '\n')
