import type { IncomingMessage } from 'node:http'

/**
 * Reads one request header from Node's `rawHeaders`, the list the parser fills. Node builds
 * `request.headers` on first access, lower-casing a copy of every name, and a route that reads no
 * other header never pays for it: reading the version header that way would cost a versioned
 * request more than the rest of the plugin's work on it.
 */

/**
 * The value of the header `name` (in lower case), or `undefined` when the request does not carry
 * it. A header sent more than once is read from `request.headers`, which joins the values the way
 * Node does for that name.
 */
export function requestHeader (request: IncomingMessage, name: string): string | string[] | undefined {
  const raw = request.rawHeaders
  let found: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const field = raw[i] as string
    if (field.length === name.length && (field === name || field.toLowerCase() === name)) {
      if (found !== undefined) return request.headers[name]
      found = raw[i + 1]
    }
  }
  return found
}
