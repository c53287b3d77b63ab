import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { request } from 'undici'
import dateVersioning, { type DateVersioningOptions } from '../lib/index.js'

/** The timeline of the example in docs/design.md §1, with a sunset version before it. */
export const versions: DateVersioningOptions['versions'] = [
  { version: '2021-01-01', sunset: '2022-01-01' },
  { version: '2022-05-18', changes: ['First release'] },
  { version: '2023-01-10', deprecated: '2024-01-01', sunset: '2026-06-30T23:59:59Z' },
  { version: '2024-03-01', changes: ['`name` split into `firstName` and `lastName`'] },
  { version: '2027-01-15', preview: true }
]

/** A fixed clock: 2025-06-01T12:00:00Z unless a test says otherwise. */
export const at = (iso = '2025-06-01T12:00:00Z') => () => Date.parse(iso)

export async function build (options: Partial<DateVersioningOptions> = {}, server: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(server)
  await app.register(dateVersioning, { versions, now: at(), ...options })
  return app
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json: () => any
}

/** Starts `app` on 127.0.0.1 and sends one real HTTP request with undici. */
export async function http (app: FastifyInstance, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<HttpAnswer> {
  const address = app.server.listening ? undefined : await app.listen({ host: '127.0.0.1', port: 0 })
  const base = address ?? `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const res = await request(base + path, { method: method as 'GET', headers, body })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, body: text, json: () => JSON.parse(text) }
}

export interface LogLine { level: number, msg: string, err?: { message: string }, [key: string]: unknown }

/** A Fastify logger option that collects log lines, at warning level and above by default. */
export function collectLogs (level = 'warn'): { lines: LogLine[], logger: FastifyServerOptions['logger'] } {
  const lines: LogLine[] = []
  return { lines, logger: { level, stream: { write: (line: string) => { lines.push(JSON.parse(line)) } } } as FastifyServerOptions['logger'] }
}

/** Node's gc, reached without a command-line flag: the flag is set at run time and read in a new context. */
export function gcFunction (): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') return globalThis.gc
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  } catch {
    return undefined
  }
}

/**
 * Heap in use once garbage is collected. Injected requests are released by timers a moment after
 * they are answered, so it waits for those first.
 */
export async function settledHeap (): Promise<number> {
  const gc = gcFunction()
  await new Promise(resolve => setTimeout(resolve, 250))
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed
}

/** The request header the usage tests carry their client id in. */
export const CLIENT = 'x-client-id'

/** The `usage.clientId` of the usage tests: the client id header, as sent. */
export const clientId = (request: { headers: Record<string, unknown> }): string | undefined => request.headers[CLIENT] as string | undefined
