import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData
} from '@opentelemetry/sdk-metrics'

/**
 * The OpenTelemetry SDK as an application sets it up, exporting to memory: a real MeterProvider
 * whose reader the tests flush to read what the plugin recorded.
 */

/** One series of a metric: its attributes and its value (a sum, or a histogram's count and sum). */
export interface Series {
  attributes: Record<string, unknown>
  value: number
  sum?: number
  buckets?: number[]
}

export interface TestSdk {
  meterProvider: MeterProvider
  /** Every metric exported now, by name. */
  collect: () => Promise<Map<string, MetricData>>
  /** The series of `name` once `count` requests are counted (onResponse runs after the client got its answer), or what was recorded. */
  series: (name: string, count: number) => Promise<Series[]>
  shutdown: () => Promise<void>
}

export function testSdk (): TestSdk {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  // The interval is never reached: each collection is a forced flush.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })

  async function collect (): Promise<Map<string, MetricData>> {
    exporter.reset()
    await reader.forceFlush()
    const exported = exporter.getMetrics().flatMap(r => r.scopeMetrics).flatMap(s => s.metrics)
    return new Map(exported.map(m => [m.descriptor.name, m]))
  }

  function seriesOf (metric: MetricData | undefined): Series[] {
    if (metric === undefined) return []
    return metric.dataPoints.map(point => {
      const value = point.value as number | { count: number, sum: number, buckets: { counts: number[] } }
      return typeof value === 'number' || metric.dataPointType !== DataPointType.HISTOGRAM
        ? { attributes: { ...point.attributes }, value: value as number }
        : { attributes: { ...point.attributes }, value: value.count, sum: value.sum, buckets: value.buckets.counts }
    })
  }

  async function series (name: string, count: number): Promise<Series[]> {
    // A bounded number of turns of the event loop, so that a test expecting more than was recorded
    // fails on what was recorded rather than waiting for its time limit.
    for (let turn = 0; ; turn++) {
      const found = seriesOf((await collect()).get(name))
      if (turn === 1000 || found.reduce((total, s) => total + s.value, 0) >= count) return found
      await new Promise(resolve => setImmediate(resolve))
    }
  }

  return { meterProvider, collect, series, shutdown: () => meterProvider.shutdown() }
}
