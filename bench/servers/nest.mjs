// Scenario "nest-header": NestJS on its Fastify adapter with header versioning, one controller route
// in 20 versions ('1'…'20'), one method each. Plain JavaScript, so the decorators are applied by
// hand with Reflect.decorate, which is what the TypeScript decorator syntax compiles to.
// @nestjs/platform-fastify brings its own copy of Fastify, which may be a different release from the
// one the other scenarios run on; bench/results.json records both.
import 'reflect-metadata'
import { Controller, Get, Module, Version, VersioningType } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import { BODY, serve } from './common.mjs'

const VERSIONS = 20

class ItemController {}
for (let v = 1; v <= VERSIONS; v++) {
  const method = `v${v}`
  ItemController.prototype[method] = function () { return BODY }
  const descriptor = Object.getOwnPropertyDescriptor(ItemController.prototype, method)
  Object.defineProperty(ItemController.prototype, method,
    Reflect.decorate([Get('item'), Version(String(v))], ItemController.prototype, method, descriptor))
}
Reflect.decorate([Controller()], ItemController)

class AppModule {}
Reflect.decorate([Module({ controllers: [ItemController] })], AppModule)

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false })
app.enableVersioning({ type: VersioningType.HEADER, header: 'Api-Version' })
await serve(async () => {
  await app.listen(0, '127.0.0.1')
  return app.getHttpServer().address().port
}, () => app.close())
