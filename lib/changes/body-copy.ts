/**
 * The copy of a response body that its migrations change, so that the handler's value (which may be
 * shared: a cache, a store) is left alone and a failure leaves nothing half-migrated. Arrays and
 * plain objects, what bodies are made of, are copied here, all the way down; anything else (a Date,
 * a class instance) by `structuredClone`, which copies plain data too but several times slower, as
 * it goes through a serialized form. Pure: no Fastify here.
 */
export function copyBody<T> (value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) copy[i] = copyBody(value[i])
    return copy as T
  }
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value)
  const copy: Record<string, unknown> = {}
  // for…in reads V8's cache of a shape's keys, where Object.keys() would allocate an array per object.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const item = copyBody((value as Record<string, unknown>)[key])
    // Assigned, `__proto__` would set the copy's prototype instead of a property (JSON.parse makes it one).
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true })
    else copy[key] = item
  }
  return copy as T
}
