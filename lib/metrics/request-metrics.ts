import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRouteHookHandler, RouteOptions } from 'fastify'
import { CONSTRAINT, type ResolutionOf } from '../constraint-strategy.js'
import { ApiVersionError } from '../errors.js'
import type { MetricsMeter } from './meter-provider.js'
import { requestAttributes } from './request-attributes.js'

/**
 * The plugin's instruments and the hooks that feed them, added to versioned routes only and only
 * when there is a meter to record to. A request is measured when its response is sent, from the
 * resolution derived during routing (never derived again), the route template and the status code.
 */

/** Requests to versioned routes, served or refused. */
export const REQUESTS_METRIC = 'api_version.requests'
/** Their duration, from routing to the response's last byte. */
export const DURATION_METRIC = 'api_version.request.duration'

// The boundaries OpenTelemetry's HTTP conventions advise for http.server.request.duration, in seconds.
const DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

export interface RequestMetricsSettings {
  readonly meter: MetricsMeter
  /** Record the duration histogram too. */
  readonly duration: boolean
  readonly resolutionOf: ResolutionOf
}

type Hook<Args extends unknown[]> = (this: unknown, request: FastifyRequest, reply: FastifyReply, ...args: Args) => void

const asArray = <T>(value: T | T[] | undefined): T[] => value === undefined ? [] : Array.isArray(value) ? value : [value]

/** The onRoute hook that gives each versioned route the hooks measuring its requests. */
export function createRequestMetrics ({ meter, duration, resolutionOf }: RequestMetricsSettings): onRouteHookHandler {
  const requests = meter.createCounter(REQUESTS_METRIC, {
    unit: '{request}',
    description: 'Requests to versioned routes, by the API version they resolved to, its status and where it came from.'
  })
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

  const onError: Hook<[FastifyError, HookHandlerDoneFunction]> = (request, _reply, error, done) => {
    if (error instanceof ApiVersionError) raised.set(request, error.code)
    done()
  }

  const onResponse: Hook<[HookHandlerDoneFunction]> = (request, reply, done) => {
    const statusCode = reply.statusCode
    const attributes = requestAttributes(resolutionOf(request.raw), {
      route: request.routeOptions.url as string,
      method: request.method,
      statusCode,
      errorCode: statusCode >= 400 ? raised.get(request) : undefined
    })
    requests.add(1, attributes)
    if (durations !== undefined) durations.record(reply.elapsedTime / 1000, attributes)
    done()
  }

  return function onRoute (route: RouteOptions) {
    if (route.constraints?.[CONSTRAINT] === undefined) return
    route.onError = [...asArray(route.onError), onError] as RouteOptions['onError']
    route.onResponse = [...asArray(route.onResponse), onResponse] as RouteOptions['onResponse']
  }
}
