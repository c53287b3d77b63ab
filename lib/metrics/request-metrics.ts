import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRouteHookHandler, RouteOptions } from 'fastify'
import { CONSTRAINT, type ResolutionOf } from '../constraint-strategy.js'
import { ApiVersionError } from '../errors.js'
import type { MetricsMeter } from './meter-provider.js'
import { RequestCounts, RouteCounts, type CountedSeries } from './request-counts.js'

/**
 * The plugin's instruments and the hooks that feed them, added to versioned routes only and only
 * when there is a meter to record to. A request is measured as its response is sent, from the
 * resolution derived during routing (never derived again), the route template and the status code.
 */

/** Requests to versioned routes, served or refused. */
export const REQUESTS_METRIC = 'api_version.requests'
/** Their duration, from the start of the route's handling (after routing) to the response's last byte. */
export const DURATION_METRIC = 'api_version.request.duration'

// The boundaries OpenTelemetry's HTTP conventions advise for http.server.request.duration, in seconds.
const DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

export interface RequestMetricsSettings {
  readonly meter: MetricsMeter
  /** Record the duration histogram too. */
  readonly duration: boolean
  readonly resolutionOf: ResolutionOf
}

type Done = HookHandlerDoneFunction

const asArray = <T>(value: T | T[] | undefined): T[] => value === undefined ? [] : Array.isArray(value) ? value : [value]

/** The onRoute hook that gives each versioned route the hooks measuring its requests. */
export function createRequestMetrics ({ meter, duration, resolutionOf }: RequestMetricsSettings): onRouteHookHandler {
  // Counted in the process and reported at each collection (an asynchronous counter): a request
  // costs a lookup in a small map, where a synchronous counter would have the SDK hash its
  // attributes on every request.
  const counts = new RequestCounts()
  meter.createObservableCounter(REQUESTS_METRIC, {
    unit: '{request}',
    description: 'Requests to versioned routes, by the API version they resolved to, its status and where it came from.'
  }).addCallback(result => { counts.observe(result) })
  const durations = duration
    ? meter.createHistogram(DURATION_METRIC, {
      unit: 's',
      description: 'Duration of requests to versioned routes, by API version.',
      advice: { explicitBucketBoundaries: DURATION_BOUNDARIES }
    })
    : undefined

  // The plugin's error that answered a request, by request: written on the error path only, so a
  // served request pays nothing for it, and the request object keeps its shape.
  const raised = new WeakMap<FastifyRequest, string>()

  function noteVersionError (request: FastifyRequest, _reply: FastifyReply, error: FastifyError, done: Done): void {
    if (error instanceof ApiVersionError) raised.set(request, error.code)
    done()
  }

  /** The hook that measures the requests of `route` (its template) declared for `methods`. */
  function measuring (route: string, methods: RouteOptions['method']): Pick<RouteOptions, 'onSend' | 'onResponse'> {
    // A route declared for one method (most are; HEAD routes are routes of their own) finds its
    // counts at once; one declared for several methods looks them up by the request's.
    const declared = typeof methods === 'string' ? methods : undefined
    const single = declared === undefined ? undefined : new RouteCounts(counts, route, declared)
    const byMethod = new Map<string, RouteCounts>()
    const countsOf = (method: string): RouteCounts => {
      if (method === declared) return single as RouteCounts
      let found = byMethod.get(method)
      if (found === undefined) {
        found = new RouteCounts(counts, route, method)
        byMethod.set(method, found)
      }
      return found
    }
    const count = (request: FastifyRequest, statusCode: number): CountedSeries =>
      countsOf(request.method).count(resolutionOf(request.raw), statusCode, statusCode >= 400 ? raised.get(request) : undefined)
    if (durations === undefined) {
      // The counter alone needs no more than the status code, known when the response is sent;
      // onResponse would also have Fastify listen for the end of every response.
      return {
        onSend: function countRequest (request, reply, payload, done) {
          count(request, reply.statusCode)
          done(null, payload)
        }
      }
    }
    return {
      onResponse: function measureRequest (request, reply, done) {
        const series = count(request, reply.statusCode)
        durations.record(reply.elapsedTime / 1000, series.attributes)
        done()
      }
    }
  }

  return function onRoute (route: RouteOptions) {
    if (route.constraints?.[CONSTRAINT] === undefined) return
    // The template as Fastify reports it (request.routeOptions.url), read once rather than per request.
    const { onSend, onResponse } = measuring(route.url, route.method)
    route.onError = [...asArray(route.onError), noteVersionError] as RouteOptions['onError']
    if (onSend !== undefined) route.onSend = [...asArray(route.onSend), ...asArray(onSend)] as RouteOptions['onSend']
    if (onResponse !== undefined) route.onResponse = [...asArray(route.onResponse), ...asArray(onResponse)] as RouteOptions['onResponse']
  }
}
