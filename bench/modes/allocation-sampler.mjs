/**
 * Preloaded into a server by `bench/allocations.mjs` (`node --import`): SIGUSR2 starts V8's sampling
 * heap profiler, the next SIGUSR2 stops it and writes the profile to ALLOCATION_PROFILE. Objects
 * already collected are kept in the samples, so the profile counts every allocation of the window,
 * not only what is still alive at its end.
 */
import { Session } from 'node:inspector/promises'
import { writeFile } from 'node:fs/promises'

const session = new Session()
session.connect()
let sampling = false

process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(process.env.ALLOCATION_INTERVAL ?? 256),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true
    })
    process.stderr.write('allocation sampling on\n')
    return
  }
  const { profile } = await session.post('HeapProfiler.stopSampling')
  await writeFile(process.env.ALLOCATION_PROFILE, JSON.stringify(profile))
  process.stderr.write('allocation profile written\n')
})
