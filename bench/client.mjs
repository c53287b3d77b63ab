/**
 * A minimal HTTP/1.1 load client on raw keep-alive sockets, for the counted modes: it sends an exact
 * number of requests (not "as many as fit in 5 s"), one request in flight per connection, so two
 * runs of a scenario do the same work. The request bytes are built once; a response is complete
 * when its headers and Content-Length bytes have arrived (every bench server answers with a
 * Content-Length). The client's own cost does not matter: it runs in another process.
 */
import net from 'node:net'

/** The request bytes for GET `path` with `headers`. */
function requestBytes (path, headers) {
  let text = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`
  return Buffer.from(text + '\r\n', 'latin1')
}

/** One keep-alive connection; `send()` resolves when the whole response has arrived. */
function connect (port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true })
    let pending = null
    let buffered = Buffer.alloc(0)
    socket.on('data', chunk => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      const end = buffered.indexOf('\r\n\r\n')
      if (end < 0) return
      const head = buffered.toString('latin1', 0, end)
      const match = /\r\ncontent-length: *(\d+)/i.exec(head)
      if (match === null) { socket.destroy(new Error(`response without Content-Length: ${head}`)); return }
      const total = end + 4 + Number(match[1])
      if (buffered.length < total) return
      const status = Number(head.slice(9, 12))
      buffered = buffered.subarray(total)
      const done = pending
      pending = null
      if (status !== 200) done.reject(new Error(`status ${status}: ${head}`))
      else done.resolve()
    })
    socket.on('error', error => { if (pending !== null) pending.reject(error); else reject(error) })
    socket.once('connect', () => resolve({
      send (bytes) {
        return new Promise((resolve, reject) => {
          pending = { resolve, reject }
          socket.write(bytes)
        })
      },
      close () { socket.destroy() }
    }))
  })
}

/**
 * Sends `requests` GET requests over `connections` connections. `bursts: true` sends one request on
 * every connection, waits for all of them, and repeats (what 50 clients arriving together look
 * like); otherwise each connection loops on its own.
 */
export async function load ({ port, path = '/item', headers = {}, requests, connections = 1, bursts = false }) {
  const bytes = requestBytes(path, headers)
  const sockets = await Promise.all(Array.from({ length: connections }, () => connect(port)))
  try {
    if (bursts) {
      for (let sent = 0; sent < requests; sent += connections) {
        const count = Math.min(connections, requests - sent)
        await Promise.all(sockets.slice(0, count).map(s => s.send(bytes)))
      }
    } else {
      let left = requests
      await Promise.all(sockets.map(async s => {
        while (left > 0) {
          left--
          await s.send(bytes)
        }
      }))
    }
  } finally {
    for (const s of sockets) s.close()
  }
}
