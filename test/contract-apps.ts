import Fastify, { type FastifyInstance } from 'fastify'
import dateVersioning, { type DateVersioningOptions } from '../lib/index.js'
import { at } from './helpers.js'

// The applications the contract guard's tests snapshot and check.

export const versions: DateVersioningOptions['versions'] = [
  { version: '2020-01-01', deprecated: '2020-06-01', sunset: '2021-01-01' },
  { version: '2023-01-01' },
  { version: '2024-03-01' },
  { version: '2027-01-15', preview: true }
]

const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: 'object', properties, required })
const text = { type: 'string' }

/** How a variant of the shop differs from the released one. */
export type Variant = 'released' | 'breaking' | 'compatible' | 'description' | 'preview' | 'no-scheme'

const apiKey = { type: 'apiKey', in: 'header', name: 'X-Api-Key' }

/** A small API over four versions; each variant changes one thing in it. */
export async function shop (variant: Variant = 'released', options: Partial<DateVersioningOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify()
  const schemes = variant === 'no-scheme' ? {} : { apiKey }
  await app.register(dateVersioning, { versions, now: at(), docs: { openapi: { components: { securitySchemes: schemes } } }, ...options })
  app.get('/health', async () => ({ status: 'ok' }))
  const item = variant === 'breaking' ? object({ id: text }) : object({ id: text, name: text })
  app.get('/items/:id', {
    constraints: { apiVersion: '2023-01-01' },
    schema: { params: object({ id: text }), response: { 200: item } }
  }, async () => ({ id: 'i1', name: 'Lamp' }))
  const priced = object({ id: text, name: text, price: { type: 'integer' }, ...(variant === 'compatible' ? { colour: text } : {}) }, ['id', 'name', 'price'])
  app.get('/items/:id', {
    constraints: { apiVersion: '2024-03-01' },
    schema: { params: object({ id: text }), response: { 200: priced }, ...(variant === 'description' ? { description: 'One item' } : {}) }
  }, async () => ({ id: 'i1', name: 'Lamp', price: 12 }))
  app.get('/items/:id', {
    constraints: { apiVersion: '2027-01-15' },
    schema: { params: object({ id: text }), response: { 200: variant === 'preview' ? object({ id: text }) : priced } }
  }, async () => ({ id: 'i1' }))
  return app
}
