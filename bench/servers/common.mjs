/**
 * What every benchmark server shares: the response body, and the protocol with the harness
 * (listen on 127.0.0.1, port 0, report the port over IPC, report CPU usage on "cpu", close on "stop").
 */

/** The body every scenario answers. */
export const BODY = Object.freeze({ id: 1, name: 'A B' })

/**
 * Listens and tells the parent process the port. `listen` starts the server on 127.0.0.1:0 and
 * resolves to its port; `close` stops it.
 */
export async function serve (listen, close) {
  const port = await listen()
  const stop = async () => {
    await close()
    // A normal exit, so that a --cpu-prof child writes its profile.
    process.exit(0)
  }
  process.on('message', message => {
    if (message === 'stop') stop()
    // The server's own CPU time: its cost per request whether or not it is the bottleneck.
    else if (message === 'cpu') process.send({ cpu: process.cpuUsage() })
  })
  // Orphaned by a harness that died: nothing will ever stop this server otherwise.
  process.on('disconnect', () => process.exit(0))
  if (process.send) {
    process.send({ port })
  } else {
    // Under callgrind (node --expose-gc): a full collection on request, during the warm-up, so that
    // the old generation's growth (the start-up's garbage, compiled code) does not start an
    // incremental marking that ends in the middle of a count. gc() without arguments: a
    // synchronous mark-compact, which first completes any marking in progress. (Node 20's V8 runs
    // only a scavenge for gc({ type: 'major' }).)
    if (typeof globalThis.gc === 'function') {
      process.on('SIGUSR2', () => {
        globalThis.gc()
        console.log('collected')
      })
      console.log('collects on SIGUSR2')
    }
    console.log(`listening on http://127.0.0.1:${port}`)
  }
}

/** Starts a Fastify instance through `serve`. */
export function serveFastify (app) {
  return serve(async () => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    return app.server.address().port
  }, () => app.close())
}
