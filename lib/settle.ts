/**
 * Runs an application callback (a feature flag, a default-version function) that may answer at once
 * or with a promise, within a time limit, never throwing or rejecting: the plugin fails closed, so
 * every failure becomes a value the caller can log and act on. A synchronous answer stays
 * synchronous, so the common case allocates no promise.
 */
import { performance } from 'node:perf_hooks'

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
 * One call of an application's function, from the request path: what to call, and what to do with
 * its outcome. The same object waits for the answer when it comes as a promise (in its time limit's
 * queue, answered at most once, by the promise or by the deadline), so that a call costs one object
 * of the plugin's rather than a closure for each step: a request may wait on two such calls (a pin,
 * a preview flag).
 */
export abstract class AppCall<R> {
  /** Calls the application's function: its answer, at once or as a thenable. */
  abstract run (): unknown
  /** Takes the outcome: at once (`late` false; settleThen answers what this returns) or later (`late` true). */
  abstract proceed (settled: Settled<unknown>, late: boolean): R

  // The waiting state, used only when the answer is a thenable.
  deadline = 0
  /** The time limit whose queue the call waits in, while it is neither answered nor expired. */
  limit: TimeLimit | undefined = undefined
  /** While the thenable is being subscribed to: an answer then is one given at once. */
  subscribing = false
  early: Settled<unknown> | undefined = undefined
  /** Neighbours in the queue. */
  before: AppCall<unknown> | undefined = undefined
  after: AppCall<unknown> | undefined = undefined

  answer (settled: Settled<unknown>): void {
    if (this.subscribing) {
      this.early ??= settled
      return
    }
    const { limit } = this
    if (limit === undefined) return
    limit.remove(this)
    // A server too busy to run the timer may hear the answer after the deadline: it is still late.
    this.proceed(performance.now() > this.deadline ? limit.timedOut() : settled, true)
  }
}

/**
 * A time limit, and the calls waiting under it, oldest first, under a single timer: one timer per
 * call (a request, under load) costs more than the rest of the call. Deadlines arrive in order, so
 * the timer only ever waits for the oldest call still unanswered. A linked list, so that an answered
 * call leaves it at once: a call kept until its deadline would outlive V8's young generation and be
 * copied, then promoted, with whatever it holds.
 */
export class TimeLimit {
  readonly ms: number
  /** What is called, as the timeout error names it. */
  readonly what: string
  private first: AppCall<unknown> | undefined = undefined
  private last: AppCall<unknown> | undefined = undefined
  private timer: NodeJS.Timeout | undefined

  constructor (ms: number, what: string) {
    this.ms = ms
    this.what = what
  }

  add (call: AppCall<unknown>): void {
    call.deadline = performance.now() + this.ms
    call.limit = this
    call.before = this.last
    if (this.last === undefined) this.first = call
    else this.last.after = call
    this.last = call
    if (this.timer === undefined) this.arm(this.ms)
  }

  remove (call: AppCall<unknown>): void {
    const { before, after } = call
    call.limit = undefined
    if (before === undefined) this.first = after
    else before.after = after
    if (after === undefined) this.last = before
    else after.before = before
    call.before = undefined
    call.after = undefined
  }

  timedOut (): Settled<unknown> {
    return { ok: false, error: new TimeoutError(this.what, this.ms) }
  }

  private arm (delay: number): void {
    this.timer = setTimeout(() => { this.fire() }, delay)
    // A slow callback must not keep the process alive on shutdown.
    this.timer.unref()
  }

  private fire (): void {
    this.timer = undefined
    const now = performance.now()
    let call = this.first
    while (call !== undefined && call.deadline <= now) {
      this.remove(call)
      call.proceed(this.timedOut(), true)
      call = this.first
    }
    if (call !== undefined) this.arm(Math.max(1, call.deadline - now))
  }
}

/** What settleThen() answers when the outcome is still to come: its continuation will have it. */
export const PENDING: unique symbol = Symbol('pending')
export type Pending = typeof PENDING

/**
 * Runs `call` and hands its outcome to its `proceed`: at once (`late` false; settleThen answers what
 * `proceed` returns), or, when `call` answers with a promise, later (`late` true; settleThen answers
 * PENDING). A thenable that answers while it is being subscribed to counts as an answer at once. No
 * promise of its own, so that the request path allocates only what the application's promise needs.
 */
export function settleThen<R> (call: AppCall<R>, limit: TimeLimit): R | Pending {
  let value: unknown
  let then: unknown
  try {
    value = call.run()
    // Read once: a hostile object may answer differently, or throw, on every read of `then`.
    then = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as { then?: unknown }).then : undefined
  } catch (error) {
    return call.proceed({ ok: false, error }, false)
  }
  if (typeof then !== 'function') return call.proceed({ ok: true, value }, false)
  call.subscribing = true
  try {
    then.call(value, (answer: unknown) => { call.answer({ ok: true, value: answer }) }, (error: unknown) => { call.answer({ ok: false, error }) })
  } catch (error) {
    call.answer({ ok: false, error })
  }
  call.subscribing = false
  const { early } = call
  if (early !== undefined) return call.proceed(early, false)
  limit.add(call)
  return PENDING
}

/** A function of no arguments, whose outcome is the answer. */
class PlainCall extends AppCall<Settled<unknown>> {
  private readonly call: () => unknown
  /** Set once the outcome is known to come late: the resolve function of settle()'s promise. */
  deliver: ((settled: Settled<unknown>) => void) | undefined = undefined

  constructor (call: () => unknown) {
    super()
    this.call = call
  }

  run (): unknown {
    return this.call()
  }

  proceed (settled: Settled<unknown>, late: boolean): Settled<unknown> {
    // Late, the promise exists: nothing answers late before settleThen has returned.
    if (late) (this.deliver as (settled: Settled<unknown>) => void)(settled)
    return settled
  }
}

/** settleThen() for callers that want a promise when the outcome is still to come. */
export function settle (call: () => unknown, limit: TimeLimit): Settled<unknown> | Promise<Settled<unknown>> {
  const plain = new PlainCall(call)
  const now = settleThen(plain, limit)
  return now !== PENDING ? now : new Promise(resolve => { plain.deliver = resolve })
}
