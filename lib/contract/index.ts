/**
 * `fastify-date-versioning/contract`: the contract guard (classifier, snapshots, check, diff, reports
 * and the CLI). A separate entry, so that an application loading the plugin does not load its tools.
 */
export { classifyChanges } from './classify.js'
export type { ContractChange, ChangeLevel } from './classify.js'
export type { OpenApiDocument } from '../openapi-document.js'
export { contractOf, snapshotContracts, checkContracts, diffContracts } from './snapshots.js'
export type {
  ContractSource, ContractSubject, SnapshotResult, SnapshotWrite, CheckResult, CheckOptions, ContractCheck, ContractOutcome, DiffResult
} from './snapshots.js'
export { formatSnapshot, formatCheck, formatDiff } from './report.js'
export type { ReportFormat } from './report.js'
export { runCli } from './cli.js'
export type { CliIo } from './cli.js'
