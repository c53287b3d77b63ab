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

interface Watch {
  readonly deadline: number
  /** Dropped once the call answers, so that what it would resolve is not kept until the deadline. */
  expire: (() => void) | undefined
}

/**
 * The pending calls of one time limit, oldest first, under a single timer: one timer per call (a
 * request, under load) costs more than the rest of the call. With one limit, deadlines arrive in
 * order, so the timer only ever waits for the oldest call still pending.
 */
class Deadlines {
  private queue: Watch[] = []
  private head = 0
  private timer: NodeJS.Timeout | undefined
  private readonly ms: number

  constructor (ms: number) {
    this.ms = ms
  }

  add (expire: () => void): Watch {
    const watch: Watch = { deadline: performance.now() + this.ms, expire }
    this.queue.push(watch)
    if (this.timer === undefined) this.arm(this.ms)
    return watch
  }

  private arm (delay: number): void {
    this.timer = setTimeout(() => this.fire(), delay)
    // A slow callback must not keep the process alive on shutdown.
    this.timer.unref()
  }

  private fire (): void {
    this.timer = undefined
    const now = performance.now()
    while (this.head < this.queue.length) {
      const watch = this.queue[this.head] as Watch
      const { expire } = watch
      if (expire !== undefined && watch.deadline > now) break
      this.head++
      if (expire !== undefined) {
        watch.expire = undefined
        expire()
      }
    }
    if (this.head === this.queue.length) {
      this.queue = []
      this.head = 0
      return
    }
    this.queue = this.queue.slice(this.head)
    this.head = 0
    this.arm(Math.max(1, (this.queue[0] as Watch).deadline - now))
  }
}

const deadlinesByLimit = new Map<number, Deadlines>()

function deadlines (ms: number): Deadlines {
  let found = deadlinesByLimit.get(ms)
  if (found === undefined) {
    found = new Deadlines(ms)
    deadlinesByLimit.set(ms, found)
  }
  return found
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
    const watch = deadlines(ms).add(() => resolve({ ok: false, error: new TimeoutError(what, ms) }))
    const finish = (settled: Settled<unknown>): void => {
      if (watch.expire === undefined) return
      watch.expire = undefined
      resolve(settled)
    }
    try {
      then.call(value, (answer: unknown) => finish({ ok: true, value: answer }), (error: unknown) => finish({ ok: false, error }))
    } catch (error) {
      finish({ ok: false, error })
    }
  })
}
