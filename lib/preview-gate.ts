import { isThenable, settleWithin } from './settle.js'

/**
 * The feature-flag check in front of preview versions. It fails closed: a flag function that
 * throws, rejects, answers anything but a boolean or answers too late counts as "off", and is
 * logged, so a preview handler runs only when the flag said yes for that very request.
 */

/** Decides whether a preview version is served to a request. */
export type IsPreviewEnabled<Request> = (version: string, request: Request) => boolean | PromiseLike<boolean>

interface LoggingRequest {
  log: { warn: (details: object, message: string) => void }
}

export type PreviewGate<Request> = (version: string, request: Request) => boolean | Promise<boolean>

export function createPreviewGate<Request extends LoggingRequest> (isPreviewEnabled: IsPreviewEnabled<Request> | undefined, timeout: number): PreviewGate<Request> {
  if (isPreviewEnabled === undefined) return () => false

  const refuse = (request: Request, version: string, error: unknown): false => {
    request.log.warn({ err: error, apiVersion: version }, 'fastify-date-versioning: preview flag check failed; the preview is treated as off')
    return false
  }
  const verdictOf = (request: Request, version: string, value: unknown): boolean =>
    typeof value === 'boolean' ? value : refuse(request, version, new TypeError(`isPreviewEnabled returned ${String(value)}, not a boolean`))

  return (version, request) => {
    let verdict: unknown
    try {
      verdict = isPreviewEnabled(version, request)
    } catch (error) {
      return refuse(request, version, error)
    }
    if (!isThenable(verdict)) return verdictOf(request, version, verdict)
    return settleWithin(verdict, timeout, 'isPreviewEnabled').then(settled =>
      settled.ok ? verdictOf(request, version, settled.value) : refuse(request, version, settled.error))
  }
}
