/** See summary.mjs: the closing lines of .ci/run and the exit status of the run. */
export function summarise (log: string, statuses: Readonly<Record<string, number>>): { lines: string[], status: number }
