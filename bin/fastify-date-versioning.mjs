#!/usr/bin/env node
import { runCli } from '../contract.mjs'

const io = { stdout: text => process.stdout.write(text), stderr: text => process.stderr.write(text), importModule: url => import(url) }
const code = await runCli(process.argv.slice(2), io)
process.stdout.write('', () => process.exit(code))
