import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { ApiVersionConfigError, type DateVersioningOptions } from '../lib/index.js'
import { loadOpenTelemetryApi } from '../lib/metrics/meter-provider.js'
import { versions } from './helpers.js'
import { testSdk } from './metrics-sdk.js'

// The metrics option is validated at registration like every other option, and @opentelemetry/api,
// an optional peer dependency, is needed only when metrics are on without a meterProvider.

const fixture = fileURLToPath(new URL('./fixtures/without-opentelemetry.ts', import.meta.url))

async function registration (metrics: unknown): Promise<unknown> {
  const app = Fastify()
  try {
    await app.register(dateVersioning, { versions, metrics } as DateVersioningOptions)
    await app.ready()
    return undefined
  } catch (error) {
    return error
  } finally {
    await app.close()
  }
}

t.test('a mistaken metrics option fails at registration, saying what to write', async t => {
  const mistakes: Array<[unknown, RegExp]> = [
    ['yes', /^fastify-date-versioning: metrics must be true, false or an object such as \{ meterProvider \}; received "yes"\.$/],
    [{ meterprovider: {} }, /metrics\.meterprovider is not a known option; use meterProvider or duration\./],
    [{ meterProvider: {} }, /metrics\.meterProvider must be an OpenTelemetry MeterProvider \(an object with getMeter\(\)\)/],
    [{ meterProvider: () => {} }, /metrics\.meterProvider must be an OpenTelemetry MeterProvider/],
    [{ duration: 'yes' }, /metrics\.duration must be true or false; received "yes"\./]
  ]
  for (const [metrics, message] of mistakes) {
    const error = await registration(metrics)
    t.ok(error instanceof ApiVersionConfigError, `${JSON.stringify(metrics)} is a configuration error`)
    t.match(error, { code: 'ERR_API_VERSION_CONFIG', message })
  }
})

t.test('metrics: false, and a real MeterProvider, are accepted', async t => {
  t.equal(await registration(false), undefined)
  const sdk = testSdk()
  t.teardown(() => sdk.shutdown())
  t.equal(await registration({ meterProvider: sdk.meterProvider, duration: true }), undefined)
})

t.test('without @opentelemetry/api the plugin loads and serves; metrics without a meterProvider say what to install', async t => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8' })
  const seen = JSON.parse(stdout)
  t.same(seen.plain, { status: 200, version: '2024-03-01' }, 'no metrics option: the package is never loaded')
  t.same(seen.withProvider, { status: 200, counted: [{ value: 1, 'api_version.name': '2024-03-01', 'http.response.status_code': 200 }] },
    'metrics: { meterProvider } need nothing else')
  t.same(seen.metricsOn, {
    code: 'ERR_API_VERSION_CONFIG',
    message: 'fastify-date-versioning: metrics without a meterProvider record through the MeterProvider registered with @opentelemetry/api, ' +
      'an optional peer dependency: npm install @opentelemetry/api, or pass metrics: { meterProvider } ' +
      `(Cannot find package '@opentelemetry/api' imported from ${new URL('../lib/metrics/meter-provider.ts', import.meta.url).href}).`
  })
})

t.test('the error names what the import said, in this process too', async t => {
  await t.rejects(loadOpenTelemetryApi(async () => { throw new Error("Cannot find package '@opentelemetry/api'") }), {
    code: 'ERR_API_VERSION_CONFIG',
    message: /npm install @opentelemetry\/api, or pass metrics: \{ meterProvider \} \(Cannot find package '@opentelemetry\/api'\)\.$/
  })
})
