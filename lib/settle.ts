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

/**
 * A call whose promise has not answered yet: watched by its time limit's queue, answered at most
 * once, either by its promise or by the deadline. One object per call holds what closures would
 * otherwise hold, since a request may wait on two such calls (a pin, a preview flag).
 */
class Waiting {
  readonly deadline: number
  readonly what: string
  readonly ms: number
  /** Dropped once the call is answered, so that what it would resolve is not kept until the deadline. */
  next: ((settled: Settled<unknown>, late: boolean) => unknown) | undefined
  /** True while the thenable is being subscribed to: an answer then is one given at once. */
  subscribing = true
  early: Settled<unknown> | undefined = undefined

  constructor (deadline: number, what: string, ms: number, next: (settled: Settled<unknown>, late: boolean) => unknown) {
    this.deadline = deadline
    this.what = what
    this.ms = ms
    this.next = next
  }

  answer (settled: Settled<unknown>): void {
    if (this.subscribing) {
      this.early ??= settled
      return
    }
    if (this.next === undefined) return
    // A server too busy to run the timer may hear the answer after the deadline: it is still late.
    this.finish(performance.now() > this.deadline ? this.timedOut() : settled)
  }

  expire (): void {
    if (this.next !== undefined) this.finish(this.timedOut())
  }

  /** Called while `next` is still there. */
  private finish (settled: Settled<unknown>): void {
    const next = this.next as (settled: Settled<unknown>, late: boolean) => unknown
    this.next = undefined
    next(settled, true)
  }

  private timedOut (): Settled<unknown> {
    return { ok: false, error: new TimeoutError(this.what, this.ms) }
  }
}

/**
 * The calls waiting under one time limit, oldest first, under a single timer: one timer per call (a
 * request, under load) costs more than the rest of the call. With one limit, deadlines arrive in
 * order, so the timer only ever waits for the oldest call still unanswered.
 */
class Deadlines {
  private queue: Waiting[] = []
  private head = 0
  private timer: NodeJS.Timeout | undefined
  private readonly ms: number

  constructor (ms: number) {
    this.ms = ms
  }

  add (what: string, next: (settled: Settled<unknown>, late: boolean) => unknown): Waiting {
    const waiting = new Waiting(performance.now() + this.ms, what, this.ms, next)
    this.queue.push(waiting)
    if (this.timer === undefined) this.arm(this.ms)
    return waiting
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
      const waiting = this.queue[this.head] as Waiting
      if (waiting.next !== undefined && waiting.deadline > now) break
      this.head++
      waiting.expire()
    }
    if (this.head === this.queue.length) {
      this.queue = []
      this.head = 0
      return
    }
    this.queue = this.queue.slice(this.head)
    this.head = 0
    this.arm(Math.max(1, (this.queue[0] as Waiting).deadline - now))
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

/** What settleThen() answers when the outcome is still to come: its continuation will have it. */
export const PENDING: unique symbol = Symbol('pending')
export type Pending = typeof PENDING

/**
 * Runs `call` and hands its outcome to `next`: at once (`late` false; settleThen answers what `next`
 * returns), or, when `call` answers with a promise, later (`late` true; settleThen answers PENDING).
 * A thenable that answers while it is being subscribed to counts as an answer at once. No promise of
 * its own, so that the request path allocates only what the application's promise needs.
 */
export function settleThen<R> (call: () => unknown, ms: number, what: string, next: (settled: Settled<unknown>, late: boolean) => R): R | Pending {
  let value: unknown
  let then: unknown
  try {
    value = call()
    // Read once: a hostile object may answer differently, or throw, on every read of `then`.
    then = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as { then?: unknown }).then : undefined
  } catch (error) {
    return next({ ok: false, error }, false)
  }
  if (typeof then !== 'function') return next({ ok: true, value }, false)
  const waiting = deadlines(ms).add(what, next)
  try {
    then.call(value, (answer: unknown) => { waiting.answer({ ok: true, value: answer }) }, (error: unknown) => { waiting.answer({ ok: false, error }) })
  } catch (error) {
    waiting.answer({ ok: false, error })
  }
  waiting.subscribing = false
  const { early } = waiting
  if (early === undefined) return PENDING
  waiting.next = undefined
  return next(early, false)
}

const asIs = <T>(settled: T): T => settled

/**
 * settleThen() for callers that want a promise when the outcome is still to come: what `map` makes
 * of the outcome (the outcome itself by default), at once or as one promise.
 */
export function settle<R = Settled<unknown>> (call: () => unknown, ms: number, what: string, map: (settled: Settled<unknown>) => R = asIs as (settled: Settled<unknown>) => R): R | Promise<R> {
  let deliver: ((value: R) => void) | undefined
  const now = settleThen(call, ms, what, (settled, late) => {
    const value = map(settled)
    // Late, the promise below exists: nothing answers late before settleThen has returned.
    if (late) (deliver as (value: R) => void)(value)
    return value
  })
  return now !== PENDING ? now : new Promise(resolve => { deliver = resolve })
}
