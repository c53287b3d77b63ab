import { settleThen, type Pending, type Settled } from './settle.js'

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

/**
 * Whether `version` is served to `request`: at once, or PENDING and then through `late` (in the
 * callback form, so that a flag that answers with a promise costs no promise of the plugin's).
 */
export type PreviewGate<Request> = (version: string, request: Request, late: (enabled: boolean) => void) => boolean | Pending

export function createPreviewGate<Request extends LoggingRequest> (isPreviewEnabled: IsPreviewEnabled<Request> | undefined, timeout: number): PreviewGate<Request> {
  if (isPreviewEnabled === undefined) return () => false

  const verdictOf = (request: Request, version: string, settled: Settled<unknown>): boolean => {
    if (settled.ok && typeof settled.value === 'boolean') return settled.value
    const error = settled.ok ? new TypeError(`isPreviewEnabled returned ${String(settled.value)}, not a boolean`) : settled.error
    request.log.warn({ err: error, apiVersion: version }, 'fastify-date-versioning: preview flag check failed; the preview is treated as off')
    return false
  }

  return (version, request, late) => settleThen(() => isPreviewEnabled(version, request), timeout, 'isPreviewEnabled', (settled, isLate) => {
    const enabled = verdictOf(request, version, settled)
    if (isLate) late(enabled)
    return enabled
  })
}
