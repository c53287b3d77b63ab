'use strict'
// CommonJS entry of `fastify-date-versioning/contract`: the contract guard's tools and CLI.
module.exports = require('./dist/contract/index.js')
