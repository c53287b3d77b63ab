import type { FastifyReply } from 'fastify'

/**
 * A browser script on another origin reads only the response headers listed in
 * `Access-Control-Expose-Headers`. When a response carries CORS headers (an
 * `Access-Control-Allow-Origin`, set by @fastify/cors or the application), the version headers it
 * sends are added to that list, after the application's own names, each once.
 */
export function exposeVersionHeaders (reply: FastifyReply, headers: Readonly<Record<string, string>>): void {
  if (reply.getHeader('access-control-allow-origin') === undefined) return
  const current = reply.getHeader('access-control-expose-headers')
  const names = current === undefined ? [] : String(current).split(',').map(name => name.trim()).filter(name => name !== '')
  const listed = new Set(names.map(name => name.toLowerCase()))
  for (const name of Object.keys(headers)) {
    if (!listed.has(name.toLowerCase())) names.push(name)
  }
  reply.header('access-control-expose-headers', names.join(', '))
}
