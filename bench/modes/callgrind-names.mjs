/**
 * Callgrind names code it has no symbols for by address ("0x00000000a1b2c3d4"): V8's compiled
 * JavaScript. Node's --perf-basic-prof writes where each piece of code lies (/tmp/perf-<pid>.map:
 * start, size, name, in hex); this rewrites a callgrind file's addresses into those names, so that
 * `callgrind_annotate --inclusive=yes` speaks of JavaScript functions.
 */
import { readFile, writeFile } from 'node:fs/promises'

async function readMap (path) {
  const entries = []
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line)
    if (match !== null) entries.push({ start: parseInt(match[1], 16), end: parseInt(match[1], 16) + parseInt(match[2], 16), name: match[3] })
  }
  // Later entries win where code was moved or replaced: keep the last one written for a start.
  return entries.sort((a, b) => a.start - b.start)
}

function lookup (entries, address) {
  let lo = 0
  let hi = entries.length - 1
  let found
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (entries[mid].start <= address) { found = entries[mid]; lo = mid + 1 } else hi = mid - 1
  }
  return found !== undefined && address < found.end ? found.name : undefined
}

export async function nameJsFrames (callgrindFile, perfMap, out) {
  let entries
  try { entries = await readMap(perfMap) } catch { entries = [] }
  const text = await readFile(callgrindFile, 'utf8')
  const named = text.replace(/^(c?fn=\(\d+\)) 0x([0-9a-f]+)$/gm, (line, head, hex) => {
    const name = lookup(entries, parseInt(hex, 16))
    return name === undefined ? line : `${head} ${name.replace(/\s+/g, '_')}`
  })
  await writeFile(out, named)
}
