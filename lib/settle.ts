/**
 * Settles a value that may be a promise within a time limit, never rejecting: the plugin's callbacks
 * (feature flags, default-version functions) fail closed, so every failure becomes a value the
 * caller can log and act on.
 */

export type Settled<T> =
  | { readonly ok: true, readonly value: T }
  | { readonly ok: false, readonly error: unknown }

export class TimeoutError extends Error {
  constructor (what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`)
    this.name = 'TimeoutError'
  }
}

export function settleWithin<T> (promise: PromiseLike<T>, ms: number, what: string): Promise<Settled<T>> {
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve({ ok: false, error: new TimeoutError(what, ms) }), ms)
    // A slow callback must not keep the process alive on shutdown.
    timer.unref()
    promise.then(
      value => { clearTimeout(timer); resolve({ ok: true, value }) },
      (error: unknown) => { clearTimeout(timer); resolve({ ok: false, error }) }
    )
  })
}

/** Whether `value` is a thenable (a promise from any library). */
export function isThenable (value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
}
