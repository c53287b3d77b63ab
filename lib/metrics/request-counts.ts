import type { Resolution } from '../version-resolver.js'
import type { MetricAttributes, MetricsObservableResult } from './meter-provider.js'
import { requestAttributes } from './request-attributes.js'

/**
 * The requests counted in this process, one running total per series (per set of attributes),
 * reported to OpenTelemetry at each collection. A request costs a key built from a few short strings
 * and a map lookup; a series' attributes are built once, on its first request. Every part of the key
 * comes from a small set (route templates, methods, status codes, declared versions, the catalog's
 * codes), so the map is bounded whatever clients send.
 */

/** One series: its attributes and the requests counted so far. */
export interface CountedSeries {
  readonly attributes: MetricAttributes
  count: number
}

export class RequestCounts {
  private readonly series = new Map<string, CountedSeries>()

  /** Counts one request; `errorCode` is the code of the plugin's error that answered it, if any. */
  count (route: string, method: string, statusCode: number, resolution: Resolution, errorCode: string | undefined): CountedSeries {
    const key = resolution.kind === 'fail'
      ? `${method} ${route} ${statusCode} ${errorCode}`
      : `${method} ${route} ${statusCode} ${errorCode} ${resolution.source} ${resolution.apiVersion?.version} ${resolution.apiVersion?.status}`
    let counted = this.series.get(key)
    if (counted === undefined) {
      counted = { attributes: Object.freeze(requestAttributes(resolution, { route, method, statusCode, errorCode })), count: 0 }
      this.series.set(key, counted)
    }
    counted.count++
    return counted
  }

  /** Reports every series' running total: what an asynchronous counter's callback does at collection. */
  observe (result: MetricsObservableResult): void {
    for (const { count, attributes } of this.series.values()) result.observe(count, attributes)
  }
}
