import { Redis } from 'ioredis'
import Fastify from 'fastify'
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd'
import dateVersioning, {
  memoryUsageStore,
  redisUsageStore,
  type ApiUsage,
  type DateVersioningOptions,
  type UsageAlert,
  type UsageOptions,
  type UsageReport,
  type UsageStore
} from '../index.mjs'

const versions = [{ version: '2024-03-01' }]

// The usage option: a client id from the Node request, a store, pinning, the private view, alerts.
expectAssignable<UsageOptions>({
  clientId: request => request.headers['x-client-id'] as string | undefined,
  clientIds: 'as-given',
  store: memoryUsageStore({ maxClients: 10_000 }),
  pin: true,
  authorize: request => request.headers.authorization === 'Bearer admin' ? true : 'unauthenticated',
  onAlert: alert => { expectType<UsageAlert>(alert) }
})
expectAssignable<UsageOptions>({ authorize: async () => false })
expectNotAssignable<UsageOptions>({ clientIds: 'plain' })
expectNotAssignable<UsageOptions>({ authorize: () => 'yes' })
expectAssignable<DateVersioningOptions>({ versions, usage: { store: redisUsageStore({ client: new Redis() }) } })
expectError(redisUsageStore({ client: {} }))
expectType<UsageStore>(memoryUsageStore())

const app = Fastify()
await app.register(dateVersioning, { versions, usage: {} })
expectType<ApiUsage | null>(app.apiVersions.usage)
const usage = app.apiVersions.usage!
expectType<Promise<string | null>>(usage.pinOf('acme'))
expectType<Promise<void>>(usage.pin('acme', '2024-03-01'))
expectType<Promise<UsageReport>>(usage.report())
expectType<string>(usage.clientKey('acme'))
expectType<'growing' | 'declining' | 'steady'>((await usage.report()).versions[0]!.trend)
