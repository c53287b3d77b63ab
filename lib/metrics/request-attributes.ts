import type { Resolution } from '../version-resolver.js'
import type { MetricAttributes } from './meter-provider.js'

/**
 * The attributes of a request's measurement, named after OpenTelemetry's naming guidelines: the
 * HTTP ones as its HTTP semantic conventions name them, the version's own under one `api_version`
 * namespace. Every value comes from a small set (declared versions, four statuses, three sources,
 * route templates, the catalog's codes), so the number of series stays bounded whatever clients send.
 */

/** The version the request resolved to (`YYYY-MM-DD`); absent when it resolved to none (a malformed or unsupported header). */
export const API_VERSION_NAME = 'api_version.name'
/** Status of that version when the request arrived: `active`, `deprecated`, `preview` or `sunset`. */
export const API_VERSION_STATUS = 'api_version.status'
/** Where the version came from: `header`, `default`, or a per-client `pin`. */
export const API_VERSION_SOURCE = 'api_version.source'
export const HTTP_ROUTE = 'http.route'
export const HTTP_REQUEST_METHOD = 'http.request.method'
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code'
/** The catalog code of the plugin's error that answered the request, or the status code of a server error. */
export const ERROR_TYPE = 'error.type'

/** What the response says about the request, read when it is sent. */
export interface Answer {
  /** The route template, such as `/moves/:id`. */
  readonly route: string
  readonly method: string
  readonly statusCode: number
  /** The code of the plugin's error that answered the request, if one did. */
  readonly errorCode: string | undefined
}

export function requestAttributes (resolution: Resolution, { route, method, statusCode, errorCode }: Answer): MetricAttributes {
  const attributes: MetricAttributes = {
    [HTTP_ROUTE]: route,
    [HTTP_REQUEST_METHOD]: method,
    [HTTP_RESPONSE_STATUS_CODE]: statusCode
  }
  if (resolution.kind !== 'fail') {
    attributes[API_VERSION_SOURCE] = resolution.source
    if (resolution.apiVersion !== null) {
      attributes[API_VERSION_NAME] = resolution.apiVersion.version
      attributes[API_VERSION_STATUS] = resolution.apiVersion.status
    }
  }
  // As OpenTelemetry's HTTP conventions have it, a server error is an error even when nothing was raised.
  const errorType = errorCode ?? (statusCode >= 500 ? String(statusCode) : undefined)
  if (errorType !== undefined) attributes[ERROR_TYPE] = errorType
  return attributes
}
