/**
 * The `timeline` app of plugin.mjs (1,000 daily versions, 20 handlers on the route) with the
 * `metrics` option, chosen by the first argument:
 * - `sdk`: metrics recorded by the OpenTelemetry SDK (a MeterProvider whose periodic reader exports
 *   to memory), the request counter only;
 * - `sdk-duration`: the same with the duration histogram too;
 * - `no-provider`: `metrics: true` in an application that registered no MeterProvider.
 * The reader's interval is longer than a run, so the figures are the cost of recording, per request;
 * an export costs the same however many requests it sums.
 */
import Fastify from 'fastify'
import dateVersioning from 'fastify-date-versioning'
import { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } from '@opentelemetry/sdk-metrics'
import { ROUTE_HANDLERS, TIMELINE_VERSIONS, dailyDates, handlerDates } from '../timelines.mjs'
import { BODY, serveFastify } from './common.mjs'

function sdkProvider () {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  return new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })] })
}

const variants = {
  sdk: () => ({ meterProvider: sdkProvider() }),
  'sdk-duration': () => ({ meterProvider: sdkProvider(), duration: true }),
  'no-provider': () => true
}
const variant = process.argv[2] ?? 'sdk'
if (variants[variant] === undefined) throw new Error(`unknown variant ${variant}; use ${Object.keys(variants).join(', ')}`)

const handler = (request, reply) => { reply.send(BODY) }
const dates = dailyDates(TIMELINE_VERSIONS)
const app = Fastify()
app.register(dateVersioning, { versions: dates.map(version => ({ version })), metrics: variants[variant]() })
app.register(async (scope) => {
  for (const version of handlerDates(dates, ROUTE_HANDLERS)) scope.get('/item', { constraints: { apiVersion: version } }, handler)
})
await serveFastify(app)
