/**
 * Runs an application callback (a feature flag, a default-version function) that may answer at once
 * or with a promise, within a time limit, never throwing or rejecting: the plugin fails closed, so
 * every failure becomes a value the caller can log and act on. A synchronous answer stays
 * synchronous, so the common case allocates no promise.
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

export function settle<T> (call: () => T | PromiseLike<T>, ms: number, what: string): Settled<unknown> | Promise<Settled<unknown>> {
  let value: unknown
  let then: unknown
  try {
    value = call()
    // Read once: a hostile object may answer differently, or throw, on every read of `then`.
    then = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as { then?: unknown }).then : undefined
  } catch (error) {
    return { ok: false, error }
  }
  if (typeof then !== 'function') return { ok: true, value }
  return new Promise(resolve => {
    const finish = (settled: Settled<unknown>): void => {
      clearTimeout(timer)
      resolve(settled)
    }
    const timer = setTimeout(() => resolve({ ok: false, error: new TimeoutError(what, ms) }), ms)
    // A slow callback must not keep the process alive on shutdown.
    timer.unref()
    try {
      then.call(value, (answer: unknown) => finish({ ok: true, value: answer }), (error: unknown) => finish({ ok: false, error }))
    } catch (error) {
      finish({ ok: false, error })
    }
  })
}
