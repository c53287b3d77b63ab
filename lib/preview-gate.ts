import { settle, type Settled } from './settle.js'

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

  const verdictOf = (request: Request, version: string, settled: Settled<unknown>): boolean => {
    if (settled.ok && typeof settled.value === 'boolean') return settled.value
    const error = settled.ok ? new TypeError(`isPreviewEnabled returned ${String(settled.value)}, not a boolean`) : settled.error
    request.log.warn({ err: error, apiVersion: version }, 'fastify-date-versioning: preview flag check failed; the preview is treated as off')
    return false
  }

  return (version, request) => settle(() => isPreviewEnabled(version, request), timeout, 'isPreviewEnabled', settled => verdictOf(request, version, settled))
}
