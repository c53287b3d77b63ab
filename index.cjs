'use strict'
// CommonJS entry: `require('fastify-date-versioning')` returns the plugin itself, with the named
// exports attached to it, as Fastify plugins conventionally do.
const lib = require('./dist/index.js')
module.exports = Object.assign(lib.default, lib)
