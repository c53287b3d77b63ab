'use strict'
// CommonJS entry of `fastify-date-versioning/client`: the versioned fetch, without the plugin.
module.exports = require('./dist/client/index.js')
