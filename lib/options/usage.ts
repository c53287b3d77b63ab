import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { configError } from '../errors.js'
import { isObject } from '../util.js'
import { memoryUsageStore } from '../usage/memory-store.js'
import type { MaybePromise, UsageStore } from '../usage/store.js'
import type { UsageAlert } from '../usage/alerts.js'
import { rejectUnknownKeys } from './known-keys.js'

/** Whether a request may see the usage view: `true`, `false` (403) or `'unauthenticated'` (401). */
export type AuthorizeUsage = (request: FastifyRequest) => MaybePromise<boolean | 'unauthenticated'>

/** The `usage` option: per-client usage, automatic pinning, the private usage view and alerts. */
export interface UsageOptions {
  /**
   * The client a request comes from, such as the id of its API key, or `undefined` when unknown. It
   * runs during routing (before the route's hooks, so before authentication hooks) and receives the
   * Node request: read what identifies the client in the request itself.
   */
  clientId?: (request: IncomingMessage) => string | undefined
  /** `'hash'` (default) stores a SHA-256 digest of each client id; `'as-given'` stores it as given. */
  clientIds?: 'hash' | 'as-given'
  /** Where usage and pins are kept. Default: `memoryUsageStore()`. */
  store?: UsageStore
  /** Pin each client to the version its first request without the header was served. Default `false`. */
  pin?: boolean
  /** Serves `<prefix>/usage.json` and the Usage section of the documentation page to requests it allows. */
  authorize?: AuthorizeUsage
  /** Milliseconds between writes to the store. Default 1000. */
  flushInterval?: number
  /** Milliseconds a write to the store may take before it counts as failed. Default 5000. */
  storeTimeout?: number
  /** Called when a deprecated, nearly sunset or sunset version is used; at most once per client and version per `alertInterval`. */
  onAlert?: (alert: UsageAlert) => void
  /** Milliseconds between two alerts of one client and version. Default one day. */
  alertInterval?: number
  /** Days before a sunset from which a version counts as nearly sunset. Default 30. */
  alertBeforeSunset?: number
}

export interface UsageSettings {
  readonly clientId: ((request: IncomingMessage) => unknown) | undefined
  readonly clientIds: 'hash' | 'as-given'
  readonly store: UsageStore
  readonly pin: boolean
  readonly authorize: AuthorizeUsage | undefined
  readonly flushInterval: number
  readonly storeTimeout: number
  readonly onAlert: ((alert: UsageAlert) => void) | undefined
  readonly alertInterval: number
  readonly alertBeforeSunset: number
}

const KNOWN = ['clientId', 'clientIds', 'store', 'pin', 'authorize', 'flushInterval', 'storeTimeout', 'onAlert', 'alertInterval', 'alertBeforeSunset']
const STORE_METHODS = ['write', 'clients', 'days', 'pinOf', 'setPin']

function fn<T> (name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw configError(`usage.${name} must be a function.`)
  return value as T | undefined
}

function whole (name: string, value: unknown, fallback: number, unit: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw configError(`usage.${name} must be a positive whole number of ${unit}; received ${JSON.stringify(value)}.`)
  }
  return value
}

function storeOf (value: unknown): UsageStore {
  if (value === undefined) return memoryUsageStore()
  const missing = isObject(value) ? STORE_METHODS.find(method => typeof value[method] !== 'function') : STORE_METHODS[0]
  if (missing !== undefined) {
    throw configError(`usage.store must be a usage store such as memoryUsageStore() or redisUsageStore({ client }); it has no ${missing}() method.`)
  }
  return value as unknown as UsageStore
}

/** Validates the `usage` option; `undefined` when usage is off. */
export function parseUsage (value: unknown, defaultVersion: unknown, requireHeader: boolean): UsageSettings | undefined {
  if (value === undefined || value === false) return undefined
  if (!isObject(value)) throw configError('usage must be an object such as { clientId: request => request.headers["x-client-id"] }.')
  rejectUnknownKeys(value, KNOWN, key => `usage.${key} is not a known option; known options: ${KNOWN.join(', ')}.`)
  const { clientIds = 'hash', pin = false } = value
  if (clientIds !== 'hash' && clientIds !== 'as-given') throw configError(`usage.clientIds must be "hash" or "as-given"; received ${JSON.stringify(clientIds)}.`)
  if (typeof pin !== 'boolean') throw configError(`usage.pin must be true or false; received ${JSON.stringify(pin)}.`)
  const settings: UsageSettings = {
    clientId: fn('clientId', value.clientId),
    clientIds,
    store: storeOf(value.store),
    pin,
    authorize: fn('authorize', value.authorize),
    flushInterval: whole('flushInterval', value.flushInterval, 1000, 'milliseconds'),
    storeTimeout: whole('storeTimeout', value.storeTimeout, 5000, 'milliseconds'),
    onAlert: fn('onAlert', value.onAlert),
    alertInterval: whole('alertInterval', value.alertInterval, 86_400_000, 'milliseconds'),
    alertBeforeSunset: whole('alertBeforeSunset', value.alertBeforeSunset, 30, 'days')
  }
  if (pin) {
    if (settings.clientId === undefined) throw configError('usage.pin needs usage.clientId: a pin belongs to a client.')
    if (requireHeader) throw configError('usage.pin has no effect with requireHeader: true (every request sends the header); remove one of the two.')
    if (typeof defaultVersion === 'function') throw configError('usage.pin and a defaultVersion function both choose the version of requests without the header; use one of the two.')
  }
  return Object.freeze(settings)
}
