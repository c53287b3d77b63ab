import { AppCall, settleThen, TimeLimit, type Pending, type Settled } from './settle.js'

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
 * Whether `version` is served to `request`: at once, or PENDING and then through
 * `late(enabled, request, token)`, in the callback form, so that a flag that answers with a promise
 * costs no promise of the plugin's, and `late` can be one function for every request.
 */
export type PreviewGate<Request> = <Token>(version: string, request: Request, late: LateVerdict<Request, Token>, token: Token) => boolean | Pending

/** Takes a verdict that came late, with the request and the token it was asked with. */
export type LateVerdict<Request, Token> = (enabled: boolean, request: Request, token: Token) => void

/** One request's flag check. */
class FlagCheck<Request extends LoggingRequest, Token> extends AppCall<boolean> {
  private readonly isPreviewEnabled: IsPreviewEnabled<Request>
  private readonly version: string
  private readonly request: Request
  private readonly late: LateVerdict<Request, Token>
  private readonly token: Token

  constructor (isPreviewEnabled: IsPreviewEnabled<Request>, version: string, request: Request, late: LateVerdict<Request, Token>, token: Token) {
    super()
    this.isPreviewEnabled = isPreviewEnabled
    this.version = version
    this.request = request
    this.late = late
    this.token = token
  }

  run (): unknown {
    return this.isPreviewEnabled(this.version, this.request)
  }

  proceed (settled: Settled<unknown>, late: boolean): boolean {
    const enabled = this.verdict(settled)
    if (late) this.late(enabled, this.request, this.token)
    return enabled
  }

  private verdict (settled: Settled<unknown>): boolean {
    if (settled.ok && typeof settled.value === 'boolean') return settled.value
    const error = settled.ok ? new TypeError(`isPreviewEnabled returned ${String(settled.value)}, not a boolean`) : settled.error
    this.request.log.warn({ err: error, apiVersion: this.version }, 'fastify-date-versioning: preview flag check failed; the preview is treated as off')
    return false
  }
}

export function createPreviewGate<Request extends LoggingRequest> (isPreviewEnabled: IsPreviewEnabled<Request> | undefined, timeout: number): PreviewGate<Request> {
  if (isPreviewEnabled === undefined) return () => false
  const limit = new TimeLimit(timeout, 'isPreviewEnabled')
  return (version, request, late, token) => settleThen(new FlagCheck(isPreviewEnabled, version, request, late, token), limit)
}
