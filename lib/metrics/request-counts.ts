import type { Resolution } from '../version-resolver.js'
import type { MetricAttributes, MetricsObservableResult } from './meter-provider.js'
import { requestAttributes } from './request-attributes.js'

/**
 * The requests counted in this process, one running total per series (per set of attributes),
 * reported to OpenTelemetry at each collection. A series' attributes are built once, on its first
 * request. Every part of a series comes from a small set (route templates, methods, status codes,
 * declared versions, the catalog's codes), so the map is bounded whatever clients send.
 */

/** One series: its attributes and the requests counted so far. */
export interface CountedSeries {
  readonly attributes: MetricAttributes
  count: number
}

export class RequestCounts {
  private readonly series = new Map<string, CountedSeries>()

  /** The series of a request; `errorCode` is the code of the plugin's error that answered it, if any. */
  seriesOf (route: string, method: string, statusCode: number, resolution: Resolution, errorCode: string | undefined): CountedSeries {
    const key = resolution.kind === 'fail'
      ? `${method} ${route} ${statusCode} ${errorCode}`
      : `${method} ${route} ${statusCode} ${errorCode} ${resolution.source} ${resolution.apiVersion?.version} ${resolution.apiVersion?.status}`
    let counted = this.series.get(key)
    if (counted === undefined) {
      counted = { attributes: Object.freeze(requestAttributes(resolution, { route, method, statusCode, errorCode })), count: 0 }
      this.series.set(key, counted)
    }
    return counted
  }

  /** Reports every series' running total: what an asynchronous counter's callback does at collection. */
  observe (result: MetricsObservableResult): void {
    for (const { count, attributes } of this.series.values()) result.observe(count, attributes)
  }
}

/**
 * The series of one route and method, found per request without building a key: by the request's
 * resolution, which the resolver derives once per header value and keeps (so a few objects serve
 * every request), then by the answer. Held weakly by resolution, so a resolution the resolver
 * forgets is forgotten here too.
 */
export class RouteCounts {
  private readonly byResolution = new WeakMap<Resolution, Map<number | string, CountedSeries>>()

  constructor (private readonly counts: RequestCounts, private readonly route: string, private readonly method: string) {}

  /** Counts one request; `errorCode` is the code of the plugin's error that answered it, if any. */
  count (resolution: Resolution, statusCode: number, errorCode: string | undefined): CountedSeries {
    let byAnswer = this.byResolution.get(resolution)
    if (byAnswer === undefined) {
      byAnswer = new Map()
      this.byResolution.set(resolution, byAnswer)
    }
    // A string only on the error path: the status code alone does not say which error answered.
    const answer = errorCode === undefined ? statusCode : `${statusCode} ${errorCode}`
    let series = byAnswer.get(answer)
    if (series === undefined) {
      series = this.counts.seriesOf(this.route, this.method, statusCode, resolution, errorCode)
      byAnswer.set(answer, series)
    }
    series.count++
    return series
  }
}
